// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "backoff_inference.h"
#include "base/duration.h"
#include "request_journal.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <vector>

namespace retrylab {

// What the person states about the clients under examination.
struct GradeOptions {
    int statedMaxAttempts = 0; // 0: not stated ("within-max-attempts" is not judged)
    // The same request again this soon after a permanent answer is its retry (ClientChains
    // has started a new operation by then); the chains' silence.
    Duration retryWindow = std::chrono::seconds(30);
};

// One line of a report card: pass | warn | fail | not-seen, a sentence, and the requests,
// times and answers behind it.
struct Verdict {
    QString id; // honours-retry-after | stops-on-permanent | retries-transient | jittered |
                // not-in-step | key-reused | no-unkeyed-post-retry | within-max-attempts
    QString result = QStringLiteral("not-seen");
    QString summary;
    QJsonObject evidence;
    QJsonObject toJson() const;
};

// How often a client retried after one kind of answer ("503", "reset"), and how often it
// stopped there.
struct AnswerTally {
    int retried = 0;
    int stopped = 0;
};

// The report card of one client.
struct ClientCard {
    QString client;
    QString identifiedBy;
    int operations = 0;
    int attempts = 0;
    InferredBackoff inferred;
    QMap<QString, AnswerTally> answers;
    QList<Verdict> verdicts;

    const Verdict *verdict(const QString &id) const;
    QJsonObject toJson() const;
};

// The built-in server's report cards: how each client that talked to it retries, computed
// from the journal alone (core/mock/README.md, "The report card"). A pure function of the
// entries, so the admin API, retrylab-mock --grades and the window show the same card.
struct GradeReport {
    QList<ClientCard> clients;

    const ClientCard *client(const QString &name) const;
    QJsonObject toJson() const; // {"clients": [...]}, the shape of GET /__admin/grades

    static GradeReport grade(const std::vector<JournalEntry> &journal,
                             const GradeOptions &options = {});
};

} // namespace retrylab
