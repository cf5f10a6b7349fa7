// SPDX-License-Identifier: GPL-3.0-or-later
// The lines of a report card, each from a client's operations (core/mock/README.md,
// "The report card").
#include "client_chains.h"
#include "client_history.h"

#include <QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

constexpr int kExamples = 5; // requests shown as evidence per line
constexpr Duration kClockSlack = std::chrono::milliseconds(20);

Verdict make(const QString &id, const QString &result, const QString &summary,
             QJsonObject evidence = {})
{
    return Verdict{id, result, summary, std::move(evidence)};
}

// Up to kExamples requests, as evidence.
struct Examples {
    QJsonArray list;
    void add(const OperationHistory &op, const JournalEntry &e)
    {
        if (list.size() < kExamples)
            list.append(requestEvidence(op, e));
    }
};

double ms(Duration d)
{
    return std::round(toMs(d));
}

} // namespace

QString answerOf(const JournalEntry &e)
{
    if (e.status == 0 || e.decision == u"truncate"_s || e.decision == u"garbage"_s)
        return e.decision.isEmpty() ? u"no-answer"_s : e.decision;
    return QString::number(e.status);
}

bool isTransientAnswer(const QString &answer)
{
    bool isStatus = false;
    const int status = answer.toInt(&isStatus);
    if (!isStatus)
        return true; // reset, close, hang, truncate, garbage, commit-then-lose
    return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
           status == 504;
}

QJsonObject requestEvidence(const OperationHistory &op, const JournalEntry &e)
{
    QJsonObject o{{u"id"_s, e.id},
                  {u"operation"_s, op.name},
                  {u"attempt"_s, e.chainAttempt},
                  {u"atMs"_s, ms(e.at)},
                  {u"time"_s, e.wallTime.toUTC().toString(Qt::ISODateWithMs)},
                  {u"answer"_s, answerOf(e)}};
    if (e.askedWait)
        o.insert(u"askedWaitMs"_s, ms(*e.askedWait));
    return o;
}

Verdict retriesTransient(const ClientHistory &c, QMap<QString, AnswerTally> *tally)
{
    Examples stoppedAt;
    QStringList retriedKinds, neverRetried;
    for (const auto &op : c.operations) {
        for (std::size_t k = 0; k < op.attempts.size(); ++k) {
            const QString answer = answerOf(*op.attempts[k]);
            const int status = op.attempts[k]->status;
            if (status >= 200 && status < 400)
                continue;
            const bool retried = k + 1 < op.attempts.size();
            AnswerTally &t = (*tally)[answer];
            (retried ? t.retried : t.stopped) += 1;
            // A lost answer to a POST without a key is right not to retry: the effect may have
            // happened (judged by no-unkeyed-post-retry instead).
            const JournalEntry &e = *op.attempts[k];
            if (e.status == 0 && e.idempotencyKey.isEmpty() &&
                (e.method == u"POST"_s || e.method == u"PATCH"_s))
                continue;
            (retried ? retriedKinds : neverRetried) << answer;
            if (!retried && isTransientAnswer(answer))
                stoppedAt.add(op, e);
        }
    }
    retriedKinds.removeIf([](const QString &a) { return !isTransientAnswer(a); });
    retriedKinds.sort();
    retriedKinds.removeDuplicates();
    neverRetried.removeIf(
        [&](const QString &a) { return !isTransientAnswer(a) || retriedKinds.contains(a); });
    neverRetried.sort();
    neverRetried.removeDuplicates();
    QJsonObject evidence{{u"retried"_s, QJsonArray::fromStringList(retriedKinds)},
                         {u"neverRetried"_s, QJsonArray::fromStringList(neverRetried)},
                         {u"stoppedAt"_s, stoppedAt.list}};
    const QString id = u"retries-transient"_s;
    if (retriedKinds.isEmpty() && neverRetried.isEmpty())
        return make(id, u"not-seen"_s, u"It met no transient failure."_s, evidence);
    if (retriedKinds.isEmpty())
        return make(id, u"fail"_s, u"It retried none of the transient failures it met."_s,
                    evidence);
    if (!neverRetried.isEmpty())
        return make(id, u"warn"_s,
                    u"It retried %1 but never %2."_s.arg(retriedKinds.join(u", "_s),
                                                         neverRetried.join(u", "_s)),
                    evidence);
    return make(id, u"pass"_s,
                u"It retried every kind of transient failure it met (%1)."_s.arg(
                    retriedKinds.join(u", "_s)),
                evidence);
}

Verdict stopsOnPermanent(const ClientHistory &c)
{
    int seen = 0, retried = 0;
    Examples examples;
    for (const auto &op : c.operations) {
        for (std::size_t k = 0; k < op.attempts.size(); ++k) {
            if (!isPermanentStatus(op.attempts[k]->status))
                continue;
            ++seen;
            if (k + 1 < op.attempts.size()) {
                ++retried;
                examples.add(op, *op.attempts[k]);
                examples.add(op, *op.attempts[k + 1]);
            }
        }
    }
    const QJsonObject evidence{
        {u"permanent"_s, seen}, {u"retried"_s, retried}, {u"requests"_s, examples.list}};
    const QString id = u"stops-on-permanent"_s;
    if (seen == 0)
        return make(id, u"not-seen"_s, u"It met no permanent status."_s, evidence);
    if (retried > 0)
        return make(
            id, u"fail"_s,
            u"It retried %1 of %2 permanent answers (a 4xx that will not change)."_s.arg(retried)
                .arg(seen),
            evidence);
    return make(id, u"pass"_s, u"It stopped on all %1 permanent answers."_s.arg(seen), evidence);
}

Verdict honoursRetryAfter(const ClientHistory &c)
{
    int judged = 0, early = 0;
    double worstMs = 0;
    Examples examples;
    for (const auto &op : c.operations) {
        for (std::size_t k = 1; k < op.attempts.size(); ++k) {
            const JournalEntry &asked = *op.attempts[k - 1];
            const JournalEntry &next = *op.attempts[k];
            if (!asked.allowedBackAt)
                continue;
            ++judged;
            // The server reads the wall clock for a date and its own clock for the answer a
            // moment apart; a few milliseconds early is that, not the client.
            if (next.at + kClockSlack < *asked.allowedBackAt) {
                ++early;
                worstMs = std::max(worstMs, toMs(*asked.allowedBackAt - next.at));
                examples.add(op, asked);
                examples.add(op, next);
            }
        }
    }
    const QJsonObject evidence{{u"judged"_s, judged},
                               {u"honoured"_s, judged - early},
                               {u"earliestByMs"_s, std::round(worstMs)},
                               {u"early"_s, examples.list}};
    const QString id = u"honours-retry-after"_s;
    if (judged == 0)
        return make(id, u"not-seen"_s, u"It never retried after a Retry-After."_s, evidence);
    if (early == 0)
        return make(id, u"pass"_s, u"It waited as asked before all %1 retries."_s.arg(judged),
                    evidence);
    // Under a second early: a date read to the whole second, or a clock a little ahead.
    return make(
        id, worstMs < 1000 ? u"warn"_s : u"fail"_s,
        u"It came back early %1 of %2 times, at worst %3 ms early."_s.arg(early).arg(judged).arg(
            std::round(worstMs)),
        evidence);
}

Verdict jitteredVerdict(const InferredBackoff &b)
{
    const QJsonObject evidence{{u"samples"_s, b.samples}, {u"family"_s, b.family}};
    const QString id = u"jittered"_s;
    if (b.samples < 2 || b.family == u"none"_s)
        return make(id, u"not-seen"_s, u"Too few waits of its own to tell."_s, evidence);
    if (b.jittered)
        return make(id, u"pass"_s, u"Its waits vary: retries of many clients spread out."_s,
                    evidence);
    return make(id, u"warn"_s,
                u"Its waits follow a fixed rule: clients that fail together retry together."_s,
                evidence);
}

Verdict keyReused(const ClientHistory &c)
{
    int keyed = 0, changed = 0, mismatched = 0;
    Examples examples;
    for (const auto &op : c.operations) {
        const QString &first = op.attempts.front()->idempotencyKey;
        for (const JournalEntry *e : op.attempts) {
            if (e->decision == u"key-reused"_s) {
                ++mismatched; // one key, two payloads
                examples.add(op, *e);
            }
        }
        if (op.attempts.size() < 2 || first.isEmpty())
            continue;
        ++keyed;
        for (std::size_t k = 1; k < op.attempts.size(); ++k) {
            if (op.attempts[k]->idempotencyKey != first) {
                ++changed;
                examples.add(op, *op.attempts[k]);
                break;
            }
        }
    }
    const QJsonObject evidence{{u"keyedRetriedOperations"_s, keyed},
                               {u"keyChanged"_s, changed},
                               {u"keyWithOtherPayload"_s, mismatched},
                               {u"requests"_s, examples.list}};
    const QString id = u"key-reused"_s;
    if (changed > 0 || mismatched > 0)
        return make(id, u"fail"_s,
                    u"%1 operations changed their Idempotency-Key between retries; %2 requests "
                    "reused a key with another payload."_s.arg(changed)
                        .arg(mismatched),
                    evidence);
    if (keyed == 0)
        return make(id, u"not-seen"_s, u"No retried operation carried an Idempotency-Key."_s,
                    evidence);
    return make(id, u"pass"_s,
                u"All %1 retried keyed operations sent the same key again."_s.arg(keyed), evidence);
}

Verdict noUnkeyedPostRetry(const ClientHistory &c)
{
    int posts = 0, unkeyedRetried = 0;
    Examples examples;
    for (const auto &op : c.operations) {
        if (op.attempts.front()->method != u"POST"_s)
            continue;
        ++posts;
        if (op.attempts.size() < 2 || !op.attempts[1]->idempotencyKey.isEmpty())
            continue;
        ++unkeyedRetried;
        examples.add(op, *op.attempts[0]);
        examples.add(op, *op.attempts[1]);
    }
    const QJsonObject evidence{{u"posts"_s, posts},
                               {u"retriedWithoutKey"_s, unkeyedRetried},
                               {u"requests"_s, examples.list}};
    const QString id = u"no-unkeyed-post-retry"_s;
    if (posts == 0)
        return make(id, u"not-seen"_s, u"It sent no POST."_s, evidence);
    if (unkeyedRetried > 0)
        return make(id, u"fail"_s,
                    u"It retried %1 POSTs without an Idempotency-Key: a lost answer can mean a "
                    "second charge."_s.arg(unkeyedRetried),
                    evidence);
    return make(id, u"pass"_s, u"No POST was retried without an Idempotency-Key."_s, evidence);
}

Verdict withinMaxAttempts(const ClientHistory &c, int statedMax)
{
    int most = 0, over = 0;
    Examples examples;
    for (const auto &op : c.operations) {
        const int n = static_cast<int>(op.attempts.size());
        most = std::max(most, n);
        if (statedMax > 0 && n > statedMax) {
            ++over;
            examples.add(op, *op.attempts.back());
        }
    }
    const QJsonObject evidence{{u"statedMax"_s, statedMax},
                               {u"mostAttempts"_s, most},
                               {u"operationsOver"_s, over},
                               {u"requests"_s, examples.list}};
    const QString id = u"within-max-attempts"_s;
    if (statedMax <= 0)
        return make(id, u"not-seen"_s,
                    u"No maximum was stated (at most %1 attempts were seen)."_s.arg(most),
                    evidence);
    if (over > 0)
        return make(id, u"fail"_s,
                    u"%1 operations made more than the stated %2 attempts (up to %3)."_s.arg(over)
                        .arg(statedMax)
                        .arg(most),
                    evidence);
    return make(id, u"pass"_s,
                u"At most %1 attempts, within the stated %2."_s.arg(most).arg(statedMax), evidence);
}

} // namespace retrylab

namespace retrylab {

// Clients in step: operations of two clients that failed together (started within 100 ms)
// and whose retries keep the same schedule (each retry within 20 ms, or 5% of its wait, of
// the other's) hit
// a recovering server together, again and again: the thundering herd.
Verdict notInStep(const ClientHistory &c, const std::vector<ClientHistory> &all)
{
    struct Start {
        Duration at;
        const OperationHistory *op;
    };
    std::vector<Start> starts;
    for (const auto &other : all)
        if (&other != &c)
            for (const auto &op : other.operations)
                if (op.attempts.size() >= 2)
                    starts.push_back({op.attempts.front()->at, &op});
    std::sort(starts.begin(), starts.end(),
              [](const Start &a, const Start &b) { return a.at < b.at; });
    constexpr Duration kTogether = std::chrono::milliseconds(100);
    constexpr int kMostPairs = 100'000; // enough to judge; bounded for a big journal
    int comparable = 0, inStep = 0;
    Examples examples;
    for (const auto &op : c.operations) {
        if (op.attempts.size() < 2 || comparable > kMostPairs)
            continue;
        const Duration t0 = op.attempts.front()->at;
        auto it = std::lower_bound(starts.begin(), starts.end(), t0 - kTogether,
                                   [](const Start &s, Duration t) { return s.at < t; });
        for (; it != starts.end() && it->at <= t0 + kTogether; ++it) {
            const std::size_t n = std::min(op.attempts.size(), it->op->attempts.size());
            for (std::size_t k = 1; k < n; ++k) {
                ++comparable;
                const double mine = toMs(op.attempts[k]->at - t0);
                const double theirs = toMs(it->op->attempts[k]->at - it->at);
                const double window = std::max(20.0, 0.05 * op.waitBeforeMs(k + 1));
                if (std::abs(mine - theirs) <= window) {
                    ++inStep;
                    examples.add(op, *op.attempts[k]);
                    examples.add(*it->op, *it->op->attempts[k]);
                }
            }
        }
    }
    const QJsonObject evidence{
        {u"comparedRetries"_s, comparable}, {u"inStep"_s, inStep}, {u"requests"_s, examples.list}};
    const QString id = u"not-in-step"_s;
    if (comparable == 0)
        return make(id, u"not-seen"_s,
                    u"No other client failed at the same moment, so none could retry with it."_s,
                    evidence);
    if (inStep * 2 >= comparable)
        return make(
            id, u"fail"_s,
            u"%1 of %2 retries kept step with another client's: a thundering herd."_s.arg(inStep)
                .arg(comparable),
            evidence);
    // Random waits meet now and then (one in ten for a 20 ms window over 400 ms); more often
    // than one in five is a pattern.
    if (inStep * 5 >= comparable)
        return make(
            id, u"warn"_s,
            u"%1 of %2 retries kept step with another client's."_s.arg(inStep).arg(comparable),
            evidence);
    return make(
        id, u"pass"_s,
        u"%1 of %2 retries kept step with another client's, as chance has it."_s.arg(inStep).arg(
            comparable),
        evidence);
}

} // namespace retrylab
