// SPDX-License-Identifier: GPL-3.0-or-later
#include "simulated_transport.h"

#include "http/retry_after.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace retrylab {

SimulatedTransport::SimulatedTransport(Scheduler &scheduler, const FaultProfile &profile,
                                       std::uint64_t seed, const NetworkDelay &networkDelay,
                                       bool contention)
    : m_scheduler(scheduler)
    , m_service(profile, seed)
    , m_contentionDecider(profile, seed)
    , m_delay(networkDelay)
    , m_networkRng(seed ^ 0x6e6574776f726bULL) // "network"
    , m_contention(contention)
{}

void SimulatedTransport::sendContended(const AttemptRequest &req, Done done)
{
    // Read: the server serves it, the answer (the version) goes back, the conditional write
    // comes in and is served in turn; a write that lost the race is a 409.
    auto write = [this, req, done](qint64 seen) {
        serveContended(req, m_scheduler.now() + hop() + hop(), done, [this, req, seen, done] {
            const bool won = m_version == seen;
            if (won)
                ++m_version;
            else
                ++m_conflicts;
            const int status = won ? 200 : 409;
            deliver(req.id, m_scheduler.now() + hop(),
                    {outcome::fromStatus(status), status, {}, {}, {}, false}, done);
        });
    };
    serveContended(req, m_scheduler.now() + hop(), done, [this, write] { write(m_version); });
}

void SimulatedTransport::serveContended(const AttemptRequest &req, Duration arrives,
                                        const Done &done, std::function<void()> served)
{
    // The profile decides as for any request: capacity, outages, the status mix, the service
    // time. Only a request it answers with a success reaches the resource.
    m_scheduler.at(arrives, [this, req, done, served = std::move(served)] {
        const Duration now = m_scheduler.now();
        const FaultDecision d = m_contentionDecider.decide({QString::fromLatin1(req.method),
                                                            QUrl(req.path).path(),
                                                            QString::number(req.client),
                                                            {}},
                                                           now, wallAt(now));
        m_scheduler.at(now + d.latency, [this, req, done, served, d] {
            if (d.admitted)
                m_contentionDecider.finished();
            if (d.status >= 200 && d.status < 300) {
                served();
                return;
            }
            deliver(req.id, m_scheduler.now() + hop(),
                    {outcome::fromStatus(d.status), d.status, d.headers, {}, {}, false}, done);
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
        r.receivedAt = wallAt(m_scheduler.now());
        done(r);
    });
}

void SimulatedTransport::send(const AttemptRequest &req, Done done)
{
    if (m_contention) {
        sendContended(req, std::move(done));
        return;
    }
    // The request reaches the server after one network delay; the service decides it there.
    m_scheduler.at(m_scheduler.now() + hop(), [this, req, done = std::move(done)] {
        const Duration now = m_scheduler.now();
        auto x = std::make_shared<MockExchange>(m_service.arrive(
            {req.method, req.path.toUtf8(), req.headers, req.body, {}}, now, wallAt(now)));
        if (x->latency <= Duration::zero())
            carry(req, x, done);
        else
            m_scheduler.at(now + x->latency, [this, req, x, done] { carry(req, x, done); });
    });
}

void SimulatedTransport::carry(const AttemptRequest &req, const std::shared_ptr<MockExchange> &x,
                               const Done &done)
{
    const Duration now = m_scheduler.now();
    m_service.process(*x, now);
    const auto failure = [](const QString &why) {
        return AttemptResponse{OutcomeClass::ConnectionReset, 0, {}, {}, why, false};
    };
    HeaderList headers = x->headers;
    headers.append({"Date", formatHttpDate(wallAt(now))});
    const AttemptResponse answer{outcome::fromStatus(x->status), x->status, headers, {}, {}, false};
    // What a socket client sees of each fault (see MockServer::carry and tst_mock_server).
    switch (x->kind) {
    case FaultKind::Respond:
        deliver(req.id, now + hop(), answer, done);
        break;
    case FaultKind::SlowBody:
        // The body dribbles in over slowBodyOver; the slot is held until the last piece.
        m_scheduler.at(now + x->slowBodyOver, [this, x] { m_service.finish(*x); });
        deliver(req.id, now + x->slowBodyOver + hop(), answer, done);
        return;
    case FaultKind::Hang: {
        // Nothing comes back until the server gives up at its hang limit and closes.
        const Duration limit = m_service.profile().limits.hangMax;
        m_scheduler.at(now + limit, [this, x] { m_service.finish(*x); });
        deliver(
            req.id, now + limit + hop(),
            failure(u"the server hung for %1 (limits.hangMaxMs) and closed the connection"_s.arg(
                formatDurationReadable(limit))),
            done);
        return;
    }
    case FaultKind::Reset:
    case FaultKind::CommitThenLose:
        deliver(req.id, now + hop(), failure(u"connection reset by the server"_s), done);
        break;
    case FaultKind::Close:
        deliver(req.id, now + hop(),
                failure(u"the server closed the connection without an answer"_s), done);
        break;
    case FaultKind::Truncate:
        deliver(req.id, now + hop(),
                failure(u"the server closed the connection after %1 of %2 body bytes"_s
                            .arg(x->body.size() / 2)
                            .arg(x->body.size() + 100)),
                done);
        break;
    case FaultKind::Garbage:
        deliver(req.id, now + hop(), failure(u"the answer was not HTTP"_s), done);
        break;
    }
    m_service.finish(*x);
}

} // namespace retrylab
