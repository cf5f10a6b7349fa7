// SPDX-License-Identifier: GPL-3.0-or-later
#include "simulated_transport.h"

#include "http/retry_after.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace retrylab {

SimulatedTransport::SimulatedTransport(Scheduler &scheduler, const FaultProfile &profile,
                                       std::uint64_t seed, Duration networkDelay, bool contention)
    : m_scheduler(scheduler)
    , m_decider(profile, seed)
    , m_store(profile.idempotency.retention)
    , m_journal(profile.limits.journalCapacity)
    , m_delay(networkDelay)
    , m_contention(contention)
{}

void SimulatedTransport::sendContended(const AttemptRequest &req, Done done)
{
    // Read: reaches the server after one delay and sees the current version.
    m_scheduler.at(m_scheduler.now() + m_delay, [this, req, done = std::move(done)] {
        const qint64 seen = m_version;
        const FaultDecision d =
            m_decider.decide({QString::fromLatin1(req.method),
                              QUrl(req.path).path(),
                              QString::number(req.client),
                              {}},
                             m_scheduler.now(), m_epoch.addMSecs(toMs(m_scheduler.now())));
        m_decider.finished();
        // Write: the read's answer goes back, the conditional write comes in.
        const Duration write = m_scheduler.now() + d.latency + 2 * m_delay;
        m_scheduler.at(write, [this, req, seen, done] {
            const bool won = m_version == seen;
            if (won)
                ++m_version;
            else
                ++m_conflicts;
            const int status = won ? 200 : 409;
            deliver(req.id, m_scheduler.now() + m_delay,
                    {outcome::fromStatus(status), status, {}, {}, {}, false}, done);
        });
    });
}

void SimulatedTransport::deliver(std::uint64_t id, Duration at, AttemptResponse response,
                                 const Done &done)
{
    m_scheduler.at(at, [this, id, response = std::move(response), done] {
        if (m_cancelled.remove(id))
            return;
        AttemptResponse r = response;
        r.receivedAt = m_epoch.addMSecs(toMs(m_scheduler.now()));
        done(r);
    });
}

void SimulatedTransport::send(const AttemptRequest &req, Done done)
{
    if (m_contention) {
        sendContended(req, std::move(done));
        return;
    }
    // The request reaches the server after one network delay.
    m_scheduler.at(m_scheduler.now() + m_delay, [this, req, done = std::move(done)] {
        const Duration now = m_scheduler.now();
        const QDateTime wall = m_epoch.addMSecs(toMs(now));
        const QString method = QString::fromLatin1(req.method);
        const QString client = QString::number(req.client);
        const QString path = QUrl(req.path).path(); // routes match the path, as on a socket
        JournalEntry e;
        e.at = now;
        e.wallTime = wall;
        e.method = method;
        e.path = path;
        e.clientId = client;
        e.attempt = req.attempt;
        e.idempotencyKey = req.idempotencyKey;
        const qint64 journalId = m_journal.arrive(std::move(e)).id;
        const FaultDecision d =
            m_decider.decide({method, path, client, req.idempotencyKey}, now, wall);
        m_journal.setOutcome(journalId, d.label, d.status, d.latency);

        const bool payments = req.method == "POST" && path == u"/payments"_s;
        int status = d.status;
        HeaderList headers = d.headers;
        headers.append({"Date", formatHttpDate(wall)});
        bool effect = false;
        bool answered = d.kind == FaultKind::Respond || d.kind == FaultKind::SlowBody;
        if (payments && d.label != u"outage"_s && d.label != u"overload"_s) {
            if (!req.idempotencyKey.isEmpty()) {
                const QByteArray fp =
                    IdempotencyStore::fingerprint(req.method, "/payments", req.body);
                IdempotencyStore::Stored stored;
                switch (m_store.begin(req.idempotencyKey, fp, now, &stored)) {
                case IdempotencyStore::Verdict::New:
                    break;
                case IdempotencyStore::Verdict::Replay:
                    status = stored.status;
                    headers = {{"Idempotent-Replayed", "true"}};
                    answered = true;
                    m_decider.finished();
                    deliver(req.id, now + m_delay,
                            {outcome::fromStatus(status), status, headers, {}, {}, false}, done);
                    return;
                case IdempotencyStore::Verdict::InFlight:
                case IdempotencyStore::Verdict::PayloadMismatch:
                    m_decider.finished();
                    deliver(req.id, now + m_delay,
                            {OutcomeClass::ClientError, 409, {}, {}, {}, false}, done);
                    return;
                }
            }
            effect = d.kind == FaultKind::CommitThenLose ||
                     (answered && status >= 200 && status < 300 && d.label != u"fail-first"_s);
            if (effect)
                status = 201;
        }

        // The response (or the fault) leaves after the latency and arrives a delay later.
        const Duration ready = now + d.latency;
        const QString operation =
            QString::fromLatin1(headerValues(req.headers, "x-operation-id").value(0));
        m_scheduler.at(ready, [this, req, d, effect, payments, operation] {
            if (d.admitted && d.kind != FaultKind::Hang)
                m_decider.finished();
            if (payments && !req.idempotencyKey.isEmpty()) {
                if (effect)
                    m_store.complete(req.idempotencyKey, 201, "created", m_scheduler.now());
                else
                    m_store.release(req.idempotencyKey);
            }
            if (effect) {
                QString op = operation;
                if (op.isEmpty())
                    op = req.idempotencyKey.isEmpty() ? u"client:%1"_s.arg(req.client)
                                                      : u"key:"_s + req.idempotencyKey;
                m_ledger.charge(op);
            }
        });
        AttemptResponse response;
        switch (d.kind) {
        case FaultKind::Respond:
            response = {outcome::fromStatus(status), status, headers, {}, {}, false};
            break;
        case FaultKind::SlowBody:
            response = {outcome::fromStatus(status), status, headers, {}, {}, false};
            deliver(req.id, ready + d.slowBodyOver + m_delay, response, done);
            return;
        case FaultKind::Hang:
            // Nothing ever comes back; the client's timeout ends it. The server frees the
            // slot when its hang limit passes.
            m_scheduler.at(now + m_decider.profile().limits.hangMax,
                           [this] { m_decider.finished(); });
            return;
        case FaultKind::Reset:
        case FaultKind::Close:
        case FaultKind::Truncate:
        case FaultKind::Garbage:
        case FaultKind::CommitThenLose:
            // What Qt reports for each of these on a real socket (see tst_mock_server).
            response = {OutcomeClass::ConnectionReset, 0, {}, {}, {}, false};
            break;
        }
        if (d.askedWait && d.kind == FaultKind::Respond)
            m_journal.askedToWait(journalId, *d.askedWait, ready);
        deliver(req.id, ready + m_delay, response, done);
    });
}

} // namespace retrylab
