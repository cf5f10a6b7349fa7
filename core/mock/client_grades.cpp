// SPDX-License-Identifier: GPL-3.0-or-later
#include "client_grades.h"

#include "client_chains.h"
#include "client_history.h"

#include <QHash>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace retrylab {

double OperationHistory::waitBeforeMs(std::size_t k) const
{
    const JournalEntry &before = *attempts.at(k - 2);
    const JournalEntry &now = *attempts.at(k - 1);
    return toMs(now.at - (before.at + before.latency));
}

QJsonObject Verdict::toJson() const
{
    return QJsonObject{
        {u"id"_s, id}, {u"result"_s, result}, {u"summary"_s, summary}, {u"evidence"_s, evidence}};
}

const Verdict *ClientCard::verdict(const QString &id) const
{
    for (const auto &v : verdicts)
        if (v.id == id)
            return &v;
    return nullptr;
}

QJsonObject ClientCard::toJson() const
{
    QJsonArray verdictArray;
    for (const auto &v : verdicts)
        verdictArray.append(v.toJson());
    QJsonObject answerObject;
    for (auto it = answers.cbegin(); it != answers.cend(); ++it)
        answerObject.insert(it.key(),
                            QJsonObject{{u"retried"_s, it->retried}, {u"stopped"_s, it->stopped}});
    QJsonArray waits;
    for (const auto &w : inferred.waits)
        waits.append(QJsonObject{{u"retry"_s, w.retry},
                                 {u"count"_s, w.count},
                                 {u"medianMs"_s, std::round(w.medianMs)},
                                 {u"minMs"_s, std::round(w.minMs)},
                                 {u"maxMs"_s, std::round(w.maxMs)}});
    return QJsonObject{{u"client"_s, client},
                       {u"identifiedBy"_s, identifiedBy},
                       {u"operations"_s, operations},
                       {u"attempts"_s, attempts},
                       {u"inferred"_s, inferred.toJson()},
                       {u"waits"_s, waits},
                       {u"answers"_s, answerObject},
                       {u"verdicts"_s, verdictArray}};
}

const ClientCard *GradeReport::client(const QString &name) const
{
    for (const auto &c : clients)
        if (c.client == name)
            return &c;
    return nullptr;
}

QJsonObject GradeReport::toJson() const
{
    QJsonArray a;
    for (const auto &c : clients)
        a.append(c.toJson());
    return QJsonObject{{u"clients"_s, a}};
}

namespace {

// The part of a fingerprint operation's name that says what was asked: "GET /x 1a2b3c4d".
QString shapeOf(const QString &operation)
{
    const qsizetype hash = operation.lastIndexOf(u" #"_s);
    return hash < 0 ? QString() : operation.first(hash);
}

// ClientChains starts a new operation after a permanent answer, so that a client's next
// request meets the script afresh; the report card takes the same request again within
// `window` of that answer for what it is: a retry of the permanent answer.
bool retriesPermanent(const OperationHistory &last, const JournalEntry &e, Duration window)
{
    const JournalEntry &end = *last.attempts.back();
    return isPermanentStatus(end.status) && shapeOf(last.name) == shapeOf(e.chainOperation) &&
           e.at - (end.at + end.latency) <= window;
}

std::vector<ClientHistory> group(const std::vector<JournalEntry> &journal, Duration window)
{
    std::vector<ClientHistory> clients;
    QHash<QString, std::size_t> clientIndex;
    QHash<QString, std::size_t> opIndex; // client + '\n' + operation
    QHash<QString, std::size_t> byShape; // client + '\n' + shape: its latest operation
    for (const JournalEntry &e : journal) {
        if (e.chainAttempt <= 0)
            continue; // refused before it could be read, or not chained
        auto c = clientIndex.constFind(e.chainClient);
        if (c == clientIndex.constEnd()) {
            c = clientIndex.insert(e.chainClient, clients.size());
            clients.push_back({e.chainClient, e.chainBy, {}});
        }
        ClientHistory &client = clients[*c];
        const QString opKey = e.chainClient + u'\n' + e.chainOperation;
        const QString shape = shapeOf(e.chainOperation);
        const QString shapeKey = e.chainClient + u'\n' + shape;
        auto o = opIndex.constFind(opKey);
        if (o == opIndex.constEnd() && !shape.isEmpty() && byShape.contains(shapeKey) &&
            retriesPermanent(client.operations[byShape.value(shapeKey)], e, window))
            o = opIndex.insert(opKey, byShape.value(shapeKey));
        if (o == opIndex.constEnd()) {
            o = opIndex.insert(opKey, client.operations.size());
            client.operations.push_back({e.chainOperation, {}});
        }
        if (!shape.isEmpty())
            byShape.insert(shapeKey, *o);
        client.operations[*o].attempts.push_back(&e);
    }
    return clients;
}

// The client's own waits: those after answers that asked for none.
QList<WaitSample> ownWaits(const ClientHistory &c)
{
    QList<WaitSample> samples;
    for (std::size_t i = 0; i < c.operations.size(); ++i) {
        const OperationHistory &op = c.operations[i];
        for (std::size_t k = 2; k <= op.attempts.size(); ++k)
            if (!op.attempts[k - 2]->askedWait)
                samples << WaitSample{int(k - 1), op.waitBeforeMs(k), int(i)};
    }
    return samples;
}

} // namespace

GradeReport GradeReport::grade(const std::vector<JournalEntry> &journal,
                               const GradeOptions &options)
{
    GradeReport report;
    const std::vector<ClientHistory> clients = group(journal, options.retryWindow);
    for (const ClientHistory &c : clients) {
        ClientCard card;
        card.client = c.client;
        card.identifiedBy = c.by;
        card.operations = static_cast<int>(c.operations.size());
        for (const auto &op : c.operations)
            card.attempts += static_cast<int>(op.attempts.size());
        card.inferred = inferBackoff(ownWaits(c));
        card.verdicts << honoursRetryAfter(c) << stopsOnPermanent(c)
                      << retriesTransient(c, &card.answers) << jitteredVerdict(card.inferred)
                      << notInStep(c, clients) << keyReused(c) << noUnkeyedPostRetry(c)
                      << withinMaxAttempts(c, options.statedMaxAttempts);
        report.clients << card;
    }
    return report;
}

} // namespace retrylab
