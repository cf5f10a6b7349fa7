// SPDX-License-Identifier: GPL-3.0-or-later
#include "contention_trial.h"

#include "http/idempotency.h"
#include "http/pushback.h"
#include "mock/fault_decider.h"
#include "policy/retry_decide.h"
#include "scenario/scenario.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace retrylab {

ContentionModel ContentionModel::fromScenario(const Scenario &s)
{
    ContentionModel m;
    m.clients = s.clients;
    m.policy = s.policy.retry;
    if (!m.policy.retryableStatuses.contains(409))
        m.policy.retryableStatuses << 409; // a lost write race is retried
    m.network = s.networkDelay;
    const QString method = QString::fromLatin1(s.method);
    if (const RouteProfile *route = s.profile.route(method, s.path)) {
        m.service = route->latency;
        const bool allSucceed = std::all_of(
            route->statuses.begin(), route->statuses.end(), [](const WeightedStatus &w) {
                return w.weight <= 0 || (w.status >= 200 && w.status < 300);
            });
        if (!allSucceed)
            m.statuses = route->statuses;
        m.retryAfter = route->retryAfter;
    }
    m.maxConcurrent = s.profile.capacity.maxConcurrent;
    m.overloadStatus = s.profile.capacity.status;
    m.overloadRetryAfterSeconds = s.profile.capacity.retryAfterSeconds;
    m.idempotent = isIdempotentMethod(s.method);
    m.keyed = s.keys != KeyMode::None;
    return m;
}

namespace {

enum class Step : std::uint8_t { ReadArrives, ReadServed, WriteArrives, WriteServed };

// Plain values in a binary heap: no callback objects. Ties run in the order they were
// scheduled, so a seed replays the trial event for event.
struct Event {
    qint64 when;
    std::uint64_t seq;
    std::uint32_t client;
    Step step;
    bool operator>(const Event &o) const { return when != o.when ? when > o.when : seq > o.seq; }
};

struct Client {
    qint64 seen = 0; // the version its read returned
    int attempts = 0;
    BackoffState backoff;
    qint64 finishedUs = -1;
};

class Trial
{
public:
    Trial(const ContentionModel &m, std::uint64_t seed, std::vector<qint64> *writes)
        : m_m(m)
        , m_rng(seed)
        , m_clients(static_cast<std::size_t>(std::max(0, m.clients)))
        , m_writes(writes)
    {
        m_heap.reserve(m_clients.size() * 2 + 8);
        if (m.service.kind == u"fixed"_s)
            m_fixedService = fromMs(std::max(0.0, m.service.ms)).count();
    }

    TrialResult run()
    {
        for (std::uint32_t c = 0; c < m_clients.size(); ++c)
            startAttempt(c, 0);
        while (!m_heap.empty()) {
            std::pop_heap(m_heap.begin(), m_heap.end(), std::greater<>());
            const Event e = m_heap.back();
            m_heap.pop_back();
            handle(e);
        }
        return summary();
    }

private:
    qint64 hop() { return m_m.network.draw(m_rng).count(); }
    // A fixed service time (the usual case) is read once, not drawn per request.
    qint64 service()
    {
        return m_fixedService >= 0 ? m_fixedService
                                   : FaultDecider::sampleLatency(m_m.service, m_rng).count();
    }

    void push(qint64 when, std::uint32_t client, Step step)
    {
        m_heap.push_back({when, m_seq++, client, step});
        std::push_heap(m_heap.begin(), m_heap.end(), std::greater<>());
    }

    // The client sends its read at `at`.
    void startAttempt(std::uint32_t c, qint64 at)
    {
        ++m_clients[c].attempts;
        ++m_result.reads;
        push(at + hop(), c, Step::ReadArrives);
    }

    // A request reaches the server: refused when it is full, else served after its service
    // time (at once, without an event, when that is 0).
    bool admit(const Event &e, Step served)
    {
        if (m_m.maxConcurrent > 0 && m_inFlight >= m_m.maxConcurrent) {
            ++m_result.overloaded;
            answer(e.client, e.when + hop(), m_m.overloadStatus, m_m.overloadRetryAfterSeconds);
            return false;
        }
        if (const int status = drawStatus(); status != 200) {
            answer(e.client, e.when + service() + hop(), status, retryAfterSeconds(status));
            return false;
        }
        const qint64 work = service();
        if (work <= 0)
            return true;
        ++m_inFlight;
        push(e.when + work, e.client, served);
        return false;
    }

    void handle(const Event &e)
    {
        switch (e.step) {
        case Step::ReadArrives:
            if (admit(e, Step::ReadServed))
                read(e);
            break;
        case Step::ReadServed:
            --m_inFlight;
            read(e);
            break;
        case Step::WriteArrives:
            ++m_result.calls;
            if (m_writes)
                m_writes->push_back(e.when);
            if (admit(e, Step::WriteServed))
                write(e);
            break;
        case Step::WriteServed:
            --m_inFlight;
            write(e);
            break;
        }
    }

    // The read's answer goes back and the conditional write comes in.
    void read(const Event &e)
    {
        m_clients[e.client].seen = m_version;
        const qint64 back = hop();
        push(e.when + back + hop(), e.client, Step::WriteArrives);
    }

    void write(const Event &e)
    {
        const bool won = m_clients[e.client].seen == m_version;
        if (won)
            ++m_version;
        answer(e.client, e.when + hop(), won ? 200 : 409);
    }

    // The client has the answer at `at` and decides with the policy, as the engine would.
    void answer(std::uint32_t c, qint64 at, int status, int retryAfter = 0)
    {
        Client &client = m_clients[c];
        if (status >= 200 && status < 300) {
            client.finishedUs = at;
            return;
        }
        AttemptResult result{outcome::fromStatus(status), status, std::nullopt, std::nullopt};
        result.pushback = pushback(status, retryAfter);
        AttemptContext ctx;
        ctx.attemptsMade = client.attempts;
        ctx.elapsed = Duration(at);
        ctx.idempotentMethod = m_m.idempotent;
        ctx.hasIdempotencyKey = m_m.keyed;
        const RetryDecision d = decideRetry(m_m.policy, ctx, result, client.backoff, m_rng, false);
        if (!d.retry) {
            client.finishedUs = at;
            ++m_result.gaveUp;
            return;
        }
        startAttempt(c, at + d.delay.count());
    }

    // The route's status mix, as FaultDecider picks it; 200 when it has only successes.
    int drawStatus()
    {
        if (m_m.statuses.isEmpty())
            return 200;
        double total = 0;
        for (const auto &w : m_m.statuses)
            total += std::max(0.0, w.weight);
        double r = m_rng.uniform() * total;
        for (const auto &w : m_m.statuses) {
            if (r < w.weight)
                return w.status >= 200 && w.status < 300 ? 200 : w.status;
            r -= std::max(0.0, w.weight);
        }
        return 200;
    }

    // The Retry-After the built-in server would send with a failed status (0: none), drawn
    // as FaultDecider draws it.
    int retryAfterSeconds(int status)
    {
        const RetryAfterSpec &ra = m_m.retryAfter;
        if (!ra.send || !ra.on.contains(status))
            return 0;
        return ra.minSeconds +
               static_cast<int>(m_rng.uniform() * (ra.maxSeconds - ra.minSeconds + 1));
    }

    // A refusal's Retry-After, read by the policy as it reads the header (only on refusals,
    // so the text here costs nothing per attempt).
    std::optional<Pushback> pushback(int status, int seconds) const
    {
        if (seconds <= 0)
            return std::nullopt;
        const HeaderList headers{{"Retry-After", QByteArray::number(seconds)}};
        return m_m.policy.serverWait(readPushback(status, headers, {}), status, headers, {});
    }

    TrialResult summary()
    {
        double sum = 0;
        for (const Client &c : m_clients) {
            m_result.makespanUs = std::max(m_result.makespanUs, c.finishedUs);
            m_result.mostAttempts = std::max(m_result.mostAttempts, c.attempts);
            sum += static_cast<double>(c.finishedUs);
        }
        m_result.meanLatencyUs = m_clients.empty() ? 0.0 : sum / double(m_clients.size());
        return m_result;
    }

    const ContentionModel &m_m;
    RandomSource m_rng;
    std::vector<Client> m_clients;
    std::vector<Event> m_heap;
    std::vector<qint64> *m_writes;
    std::uint64_t m_seq = 0;
    qint64 m_version = 0;
    qint64 m_fixedService = -1;
    int m_inFlight = 0;
    TrialResult m_result;
};

// Code that ran before (Qt's, the C library's) can leave the upper halves of the AVX registers
// dirty; every SSE instruction of the trial (this code is built for plain x86-64) and the
// FMA versions of log() and cos() that the network delays call then pay a transition
// penalty: measured, the AWS grid ran 4 times slower (core/README.md, "Studies").
void clearUpperVectorState()
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (__builtin_cpu_supports("avx"))
        asm volatile("vzeroupper" ::: "memory");
#endif
}

} // namespace

TrialResult runContentionTrial(const ContentionModel &model, std::uint64_t seed,
                               std::vector<qint64> *writeTimesUs)
{
    clearUpperVectorState();
    return Trial(model, seed, writeTimesUs).run();
}

} // namespace retrylab
