// SPDX-License-Identifier: GPL-3.0-or-later
#include "fault_decider.h"

#include "http/retry_after.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

// Shared, not allocated per answer.
const QByteArray kRetryAfter = QByteArrayLiteral("Retry-After");

// Draws which connection fault, if any, the route's chances give this request.
void drawConnectionFault(const ConnectionFaults &f, RandomSource &rng, FaultDecision &d)
{
    double r = rng.uniform();
    const std::pair<double, FaultKind> kinds[] = {{f.reset, FaultKind::Reset},
                                                  {f.close, FaultKind::Close},
                                                  {f.hang, FaultKind::Hang},
                                                  {f.truncate, FaultKind::Truncate},
                                                  {f.garbage, FaultKind::Garbage},
                                                  {f.slowBody, FaultKind::SlowBody},
                                                  {f.commitThenLose, FaultKind::CommitThenLose}};
    for (const auto &[p, kind] : kinds) {
        if (r < p) {
            d.kind = kind;
            d.label = faultKindId(kind);
            break;
        }
        r -= p;
    }
    if (d.kind == FaultKind::SlowBody) {
        d.slowBodyChunks = f.slowBodyChunks;
        d.slowBodyOver = fromMs(f.slowBodyMs);
    }
}

} // namespace

QString faultKindId(FaultKind k)
{
    switch (k) {
    case FaultKind::Respond:
        return u"respond"_s;
    case FaultKind::Reset:
        return u"reset"_s;
    case FaultKind::Close:
        return u"close"_s;
    case FaultKind::Hang:
        return u"hang"_s;
    case FaultKind::Truncate:
        return u"truncate"_s;
    case FaultKind::Garbage:
        return u"garbage"_s;
    case FaultKind::SlowBody:
        return u"slow-body"_s;
    case FaultKind::CommitThenLose:
        return u"commit-then-lose"_s;
    }
    return {};
}

FaultDecider::FaultDecider(const FaultProfile &profile, std::uint64_t seed)
    : m_profile(profile)
    , m_rng(seed)
{}

void FaultDecider::setProfile(const FaultProfile &profile)
{
    if (profile.capacity != m_profile.capacity)
        m_tokens = -1;
    m_profile = profile;
}

void FaultDecider::reset(std::uint64_t seed)
{
    m_rng.reseed(seed);
    m_failFirstSeen.clear();
    m_manualOutage.reset();
    m_inFlight = 0;
    m_tokens = -1;
}

void FaultDecider::startOutage(Duration now, Duration length)
{
    m_manualOutage = OutageWindow{now, now + length, 503};
}

std::optional<OutageWindow> FaultDecider::outageAt(Duration now) const
{
    if (m_manualOutage && now >= m_manualOutage->start && now < m_manualOutage->end)
        return m_manualOutage;
    for (const auto &o : m_profile.outages)
        if (now >= o.start && now < o.end)
            return o;
    return std::nullopt;
}

bool FaultDecider::takeToken(Duration now)
{
    const auto &c = m_profile.capacity;
    if (c.ratePerSecond <= 0)
        return true;
    const double burst = c.burst > 0 ? c.burst : std::max(1.0, c.ratePerSecond);
    if (m_tokens < 0) {
        m_tokens = burst;
        m_tokensAt = now;
    }
    const double seconds = static_cast<double>((now - m_tokensAt).count()) / 1e6;
    m_tokens = std::min(burst, m_tokens + std::max(0.0, seconds) * c.ratePerSecond);
    m_tokensAt = now;
    if (m_tokens < 1.0 - 1e-9) // tolerate the rounding of many small refills
        return false;
    m_tokens = std::max(0.0, m_tokens - 1.0);
    return true;
}

Duration FaultDecider::sampleLatency(const LatencySpec &l, RandomSource &rng)
{
    double ms = 0;
    if (l.kind == u"fixed"_s) {
        ms = l.ms;
    } else if (l.kind == u"uniform"_s) {
        ms = rng.uniform(l.minMs, l.maxMs);
    } else {
        const double z = rng.normal();
        if (l.kind == u"normal"_s)
            ms = l.meanMs + l.stddevMs * z;
        else // lognormal: median × e^(σz), capped
            ms = l.medianMs * std::exp(l.sigma * z);
        if (l.kind == u"lognormal"_s && l.maxMs > 0)
            ms = std::min(ms, l.maxMs);
    }
    return fromMs(std::max(0.0, ms));
}

int FaultDecider::pickStatus(const RouteProfile &route)
{
    double total = 0;
    for (const auto &s : route.statuses)
        total += s.weight;
    if (route.statuses.isEmpty() || total <= 0)
        return 200;
    double r = m_rng.uniform() * total;
    for (const auto &s : route.statuses) {
        if (r < s.weight)
            return s.status;
        r -= s.weight;
    }
    return route.statuses.back().status;
}

HeaderList FaultDecider::pushbackHeaders(const RetryAfterSpec &spec, int seconds,
                                         const QDateTime &wallNow,
                                         std::optional<Duration> *askedWait)
{
    HeaderList h;
    std::optional<Duration> asked = std::chrono::seconds(seconds);
    if (spec.send) {
        QString form = spec.form;
        if (form == u"mixed"_s) {
            static const QStringList forms{u"seconds"_s, u"http-date"_s, u"rfc850"_s, u"asctime"_s};
            form = forms[static_cast<int>(m_rng.uniform() * forms.size()) % forms.size()];
        }
        // Dates only for the forms that write one (most answers say seconds).
        const QDateTime at = form == u"seconds"_s ? QDateTime() : wallNow.toUTC().addSecs(seconds);
        QByteArray value = QByteArray::number(seconds);
        if (form == u"http-date"_s) {
            value = formatHttpDate(at);
        } else if (form == u"rfc850"_s) {
            const QByteArray imf = formatHttpDate(at); // "Sun, 06 Nov 1994 08:49:37 GMT"
            static const char *longDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                             "Friday", "Saturday", "Sunday"};
            value = QByteArray(longDays[at.date().dayOfWeek() - 1]) + ", " + imf.mid(5, 2) + '-' +
                    imf.mid(8, 3) + '-' + imf.mid(14, 2) + imf.mid(16);
        } else if (form == u"asctime"_s) {
            const QByteArray imf = formatHttpDate(at);
            const QByteArray day = QByteArray::number(at.date().day()).rightJustified(2, ' ');
            value = imf.left(3) + ' ' + imf.mid(8, 3) + ' ' + day + ' ' + imf.mid(17, 8) + ' ' +
                    imf.mid(12, 4);
        }
        // Dates carry whole seconds: the client may come back up to a second sooner than
        // `seconds` after now, so the date itself is what it must honour.
        if (form != u"seconds"_s)
            asked = std::chrono::milliseconds(
                std::max<qint64>(0, wallNow.msecsTo(at) - wallNow.time().msec()));
        if (spec.awkward == u"zero"_s) {
            value = "0";
            asked = Duration::zero();
        } else if (spec.awkward == u"past-date"_s) {
            value = formatHttpDate(wallNow.toUTC().addSecs(-3600));
            asked = Duration::zero();
        } else if (spec.awkward == u"negative"_s) {
            value = "-" + QByteArray::number(std::max(1, seconds));
            asked.reset();
        } else if (spec.awkward == u"fraction"_s) {
            value = QByteArray::number(seconds) + ".5";
            asked.reset();
        } else if (spec.awkward == u"garbage"_s) {
            value = "soon-ish";
            asked.reset();
        } else if (spec.awkward == u"huge"_s) {
            value = "99999999999";
            asked.reset(); // no client should wait 3000 years; compliance is not judged
        }
        h.emplaceBack(kRetryAfter, value);
        if (spec.awkward == u"two-headers"_s) {
            h.emplaceBack(kRetryAfter, QByteArray::number(seconds + 1));
            asked.reset();
        }
    }
    for (const QString &extra : spec.also) {
        if (extra == u"ratelimit"_s) {
            h.emplaceBack("RateLimit", "\"default\";r=0;t=" + QByteArray::number(seconds));
            h.emplaceBack("RateLimit-Policy", "\"default\";q=100;w=60");
        } else if (extra == u"x-ratelimit-reset-delta"_s) {
            h.emplaceBack("X-RateLimit-Remaining", "0");
            h.emplaceBack("X-RateLimit-Reset", QByteArray::number(seconds));
        } else if (extra == u"x-ratelimit-reset-epoch"_s) {
            h.emplaceBack("X-RateLimit-Remaining", "0");
            h.append(
                {"X-RateLimit-Reset", QByteArray::number(wallNow.toSecsSinceEpoch() + seconds)});
        } else if (extra == u"x-amz-retry-after"_s) {
            h.emplaceBack("x-amz-retry-after", QByteArray::number(qint64(seconds) * 1000));
        }
    }
    if (!spec.send && !spec.also.isEmpty())
        asked = std::chrono::seconds(seconds);
    else if (!spec.send)
        asked.reset();
    *askedWait = asked;
    return h;
}
bool FaultDecider::failsFirst(const MockRequest &req, const RouteProfile &route,
                              const QDateTime &wallNow, FaultDecision &d)
{
    const auto &ff = route.failFirst;
    if (ff.count > 0) {
        const QString who = ff.per == u"client"_s ? req.clientId : req.idempotencyKey;
        if (!who.isEmpty()) {
            int &seen = m_failFirstSeen[ff.per + u':' + who];
            if (seen < ff.count) {
                ++seen;
                d.label = u"fail-first"_s;
                d.status = ff.status;
                if (route.retryAfter.on.contains(d.status))
                    d.headers = pushbackHeaders(route.retryAfter, route.retryAfter.minSeconds,
                                                wallNow, &d.askedWait);
                return true;
            }
        }
    }
    return false;
}

FaultDecision FaultDecider::decide(const MockRequest &req, Duration now, const QDateTime &wallNow)
{
    FaultDecision d;
    static const RouteProfile fallback; // built once, not per request
    const RouteProfile *route = m_profile.route(req.method, req.path);
    if (!route)
        route = &fallback;

    if (const auto outage = outageAt(now)) {
        d.label = u"outage"_s;
        d.status = outage->status;
        d.admitted = false;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(outage->end - now);
        const int seconds = static_cast<int>((left.count() + 999) / 1000);
        d.headers.emplaceBack(kRetryAfter, QByteArray::number(std::max(1, seconds)));
        d.askedWait = std::chrono::seconds(std::max(1, seconds));
        return d;
    }

    const auto &cap = m_profile.capacity;
    const bool overConcurrency = cap.maxConcurrent > 0 && m_inFlight >= cap.maxConcurrent;
    if (overConcurrency || !takeToken(now)) {
        d.label = u"overload"_s;
        d.status = cap.status;
        d.admitted = false;
        d.headers.emplaceBack(kRetryAfter, QByteArray::number(cap.retryAfterSeconds));
        d.askedWait = std::chrono::seconds(cap.retryAfterSeconds);
        return d;
    }
    ++m_inFlight;
    d.latency = sampleLatency(route->latency, m_rng);

    if (req.attempt >= 1 && req.attempt <= route->script.size()) {
        applyScript(route->script.at(req.attempt - 1), *route, wallNow, d);
        return d;
    }
    if (failsFirst(req, *route, wallNow, d))
        return d;

    const auto &f = route->faults;
    if (f.total() > 0)
        drawConnectionFault(f, m_rng, d);
    // A connection fault that sends nothing needs no status; the rest answer from the mix.
    if (d.kind == FaultKind::Reset || d.kind == FaultKind::Close || d.kind == FaultKind::Hang ||
        d.kind == FaultKind::Garbage) {
        d.status = 0;
        return d;
    }
    d.status = pickStatus(*route);
    if (route->retryAfter.on.contains(d.status)) {
        const auto &ra = route->retryAfter;
        const int seconds =
            ra.minSeconds + static_cast<int>(m_rng.uniform() * (ra.maxSeconds - ra.minSeconds + 1));
        d.headers = pushbackHeaders(ra, std::min(seconds, ra.maxSeconds), wallNow, &d.askedWait);
    }
    return d;
}

void FaultDecider::applyScript(const ScriptStep &step, const RouteProfile &route,
                               const QDateTime &wallNow, FaultDecision &d)
{
    d.label = u"script"_s;
    d.status = step.status;
    for (const FaultKind kind :
         {FaultKind::Reset, FaultKind::Close, FaultKind::Hang, FaultKind::Truncate,
          FaultKind::Garbage, FaultKind::SlowBody, FaultKind::CommitThenLose}) {
        if (faultKindId(kind) == step.fault) {
            d.kind = kind;
            d.label = step.fault;
        }
    }
    if (d.kind == FaultKind::SlowBody) {
        d.slowBodyChunks = route.faults.slowBodyChunks;
        d.slowBodyOver = fromMs(route.faults.slowBodyMs);
    }
    if (d.kind == FaultKind::Reset || d.kind == FaultKind::Close || d.kind == FaultKind::Hang ||
        d.kind == FaultKind::Garbage) {
        d.status = 0;
        return;
    }
    if (!step.retryAfter.isEmpty())
        d.headers.emplaceBack(kRetryAfter, step.retryAfterValue(wallNow, &d.askedWait));
}

void FaultDecider::finished()
{
    if (m_inFlight > 0)
        --m_inFlight;
}

} // namespace retrylab
