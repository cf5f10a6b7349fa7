// SPDX-License-Identifier: GPL-3.0-or-later
// MockService's POST /payments: idempotency keys (core/http/README.md) and a ledger of effects.
#include "http_wire.h"
#include "mock_service_parsed.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace retrylab {

// A request whose Idempotency-Key the store knows is answered here: a replay of the stored
// answer, a 409 while the first is in flight, or a refusal of the key reused with another
// payload (as Stripe words it, or as a 422). False for a new key: the request goes on.
bool MockService::answeredFromKey(const Parsed &in, const QByteArray &fingerprint,
                                  const FaultDecision &d, MockExchange &x)
{
    const bool stripe = profile().idempotency.mode == u"stripe"_s;
    IdempotencyStore::Stored stored;
    const auto verdict = m_store.begin(in.key, fingerprint, in.at, &stored);
    if (verdict != IdempotencyStore::Verdict::New)
        x.admitted = d.admitted; // answered at once; finish() frees the slot
    switch (verdict) {
    case IdempotencyStore::Verdict::New:
        return false;
    case IdempotencyStore::Verdict::Replay:
        answer(x, stored.status, u"replay"_s, stored.body, {{"Idempotent-Replayed", "true"}});
        return true;
    case IdempotencyStore::Verdict::InFlight:
        answer(x, 409, u"in-flight"_s,
               wire::errorBody(409, u"a request with this key is still in flight"_s));
        return true;
    case IdempotencyStore::Verdict::PayloadMismatch:
        if (stripe)
            answer(x, 400, u"key-reused"_s,
                   wire::json(QJsonObject{
                       {u"error"_s,
                        QJsonObject{{u"type"_s, u"idempotency_error"_s},
                                    {u"message"_s, u"Keys for idempotent requests can only be used "
                                                   "with the same parameters they were first used "
                                                   "with."_s}}}}));
        else
            answer(x, 422, u"key-reused"_s,
                   wire::errorBody(422, u"this key was used with a different payload"_s));
        return true;
    }
    return false;
}

void MockService::handlePayment(const Parsed &in, MockExchange &x)
{
    const auto refuse = [&](int status, const QString &decision, const QByteArray &body,
                            const HeaderList &extra = {}) {
        answer(x, status, decision, body, extra);
    };
    if (!in.keyError.isEmpty())
        return refuse(400, u"bad-idempotency-key"_s, wire::errorBody(400, in.keyError));
    if (in.key.isEmpty() && profile().idempotency.required)
        return refuse(400, u"idempotency-key-required"_s,
                      wire::errorBody(400, u"an Idempotency-Key header is required"_s));
    QJsonParseError parseError;
    const QJsonObject payment = QJsonDocument::fromJson(in.request.body, &parseError).object();
    const double amount = payment.value(u"amount"_s).toDouble(-1);
    const QString currency = payment.value(u"currency"_s).toString();
    if (parseError.error != QJsonParseError::NoError || !(amount > 0) || amount > 1e15 ||
        amount != static_cast<double>(static_cast<qint64>(amount)) || currency.size() != 3)
        return refuse(400, u"bad-payment"_s,
                      wire::errorBody(400, u"the body must be {\"amount\": whole number > 0, "
                                           "\"currency\": three letters}"_s));

    const FaultDecision d =
        m_decider.decide({in.method, in.path, in.clientId, in.key, x.chainAttempt}, in.at, in.wall);
    // Load shedding happens before the idempotency layer: nothing is stored.
    if (d.label == u"outage"_s || d.label == u"overload"_s)
        return takeDecision(x, d, d.status, wire::errorBody(d.status, d.label));

    const QByteArray fingerprint =
        IdempotencyStore::fingerprint(in.request.method, in.path.toLatin1(), in.request.body);
    if (!in.key.isEmpty() && answeredFromKey(in, fingerprint, d, x))
        return;

    // The effect happens for every fault that lets the request be processed: a 2xx, also when
    // the answer is then truncated, dribbled or lost.
    const bool effect = d.kind == FaultKind::CommitThenLose ||
                        ((d.kind == FaultKind::Respond || d.kind == FaultKind::Truncate ||
                          d.kind == FaultKind::SlowBody) &&
                         d.status >= 200 && d.status < 300 && d.label != u"fail-first"_s);
    // The key stays "in flight" until process(), when the effect is committed (and stored for
    // replays) or the key released.
    const int status = effect ? 201 : d.status;
    takeDecision(x, d, status, wire::errorBody(status > 0 ? status : 500, d.label));
    x.key = in.key;
    if (effect) {
        x.effect = MockExchange::Effect::Charge;
        x.operation = in.operationId;
        if (x.operation.isEmpty() && !in.key.isEmpty())
            x.operation = u"key:"_s + in.key;
        if (x.operation.isEmpty())
            x.operation =
                u"client:"_s + in.clientId + u':' + QString::fromLatin1(fingerprint.toHex());
        x.amount = static_cast<qint64>(amount);
        x.currency = currency;
    } else if (!in.key.isEmpty()) {
        x.effect = MockExchange::Effect::Release;
    }
}

} // namespace retrylab
