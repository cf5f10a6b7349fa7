// SPDX-License-Identifier: GPL-3.0-or-later
// MockServer's POST /payments: idempotency keys (core/http/README.md) and a ledger of effects.
#include "http_wire.h"
#include "mock_server.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace retrylab {

void MockServer::handlePayment(Incoming in, QTcpSocket *socket)
{
    const qint64 id = journalArrival(in);
    const auto refuse = [&](int status, const QString &decision, const QByteArray &body,
                            const HeaderList &extra = {}) {
        count(decision, status);
        m_journal.setOutcome(id, decision, status, Duration::zero());
        send(socket, in, status, body, extra);
    };
    const bool stripe = profile().idempotency.mode == u"stripe"_s;
    if (!in.keyError.isEmpty())
        return refuse(400, u"bad-idempotency-key"_s, wire::errorBody(400, in.keyError));
    if (in.key.isEmpty() && profile().idempotency.required)
        return refuse(400, u"idempotency-key-required"_s,
                      wire::errorBody(400, u"an Idempotency-Key header is required"_s));
    QJsonParseError parseError;
    const QJsonObject payment = QJsonDocument::fromJson(in.body, &parseError).object();
    const double amount = payment.value(u"amount"_s).toDouble(-1);
    const QString currency = payment.value(u"currency"_s).toString();
    if (parseError.error != QJsonParseError::NoError || amount <= 0 ||
        amount != static_cast<qint64>(amount) || currency.size() != 3)
        return refuse(400, u"bad-payment"_s,
                      wire::errorBody(400, u"the body must be {\"amount\": whole number > 0, "
                                           "\"currency\": three letters}"_s));

    FaultDecision d = m_decider.decide({in.method, in.path, in.clientId, in.key}, in.at, in.wall);
    // Load shedding happens before the idempotency layer: nothing is stored.
    if (d.label == u"outage"_s || d.label == u"overload"_s)
        return execute(in, socket, d, d.status, wire::errorBody(d.status, d.label), d.headers, id);

    const QByteArray fingerprint =
        IdempotencyStore::fingerprint(in.method.toLatin1(), in.path.toLatin1(), in.body);
    if (!in.key.isEmpty()) {
        IdempotencyStore::Stored stored;
        switch (m_store.begin(in.key, fingerprint, in.at, &stored)) {
        case IdempotencyStore::Verdict::New:
            break;
        case IdempotencyStore::Verdict::Replay:
            m_decider.finished();
            return refuse(stored.status, u"replay"_s, stored.body,
                          {{"Idempotent-Replayed", "true"}});
        case IdempotencyStore::Verdict::InFlight:
            m_decider.finished();
            return refuse(409, u"in-flight"_s,
                          wire::errorBody(409, u"a request with this key is still in flight"_s));
        case IdempotencyStore::Verdict::PayloadMismatch:
            m_decider.finished();
            if (stripe)
                return refuse(
                    400, u"key-reused"_s,
                    wire::json(QJsonObject{
                        {u"error"_s, QJsonObject{{u"type"_s, u"idempotency_error"_s},
                                                 {u"message"_s,
                                                  u"Keys for idempotent requests can only be used "
                                                  "with the same parameters they were first used "
                                                  "with."_s}}}}));
            return refuse(422, u"key-reused"_s,
                          wire::errorBody(422, u"this key was used with a different payload"_s));
        }
    }

    const bool effect = d.kind == FaultKind::CommitThenLose ||
                        ((d.kind == FaultKind::Respond || d.kind == FaultKind::Truncate ||
                          d.kind == FaultKind::SlowBody) &&
                         d.status >= 200 && d.status < 300 && d.label != u"fail-first"_s);
    // The key stays "in flight" until processing ends, when the effect is committed (and
    // stored for replays) or the key released.
    std::function<QByteArray()> commit;
    int status = d.status;
    if (effect) {
        status = 201;
        QString operation = in.operationId;
        if (operation.isEmpty() && !in.key.isEmpty())
            operation = u"key:"_s + in.key;
        if (operation.isEmpty())
            operation =
                u"client:"_s + in.clientId + u':' + QString::fromLatin1(fingerprint.toHex());
        commit = [this, operation, amount, currency, key = in.key] {
            const qint64 n = m_ledger.charge(operation);
            const QByteArray created = wire::json(QJsonObject{{u"id"_s, u"pay_%1"_s.arg(n)},
                                                              {u"amount"_s, amount},
                                                              {u"currency"_s, currency},
                                                              {u"status"_s, u"succeeded"_s}});
            if (!key.isEmpty())
                m_store.complete(key, 201, created, m_clock.now() - m_started);
            return created;
        };
    } else if (!in.key.isEmpty()) {
        commit = [this, key = in.key] {
            m_store.release(key); // nothing happened: a retry starts afresh
            return QByteArray();
        };
    }
    execute(in, socket, d, status, wire::errorBody(status > 0 ? status : 500, d.label), d.headers,
            id, std::move(commit));
}

} // namespace retrylab
