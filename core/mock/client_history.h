// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the report card (client_grades.cpp, client_verdicts.cpp): the journal grouped
// into clients and operations.
#pragma once

#include "client_grades.h"

namespace retrylab {

struct OperationHistory {
    QString name;
    std::vector<const JournalEntry *> attempts; // in the order they arrived
    // The client's own wait before attempt `k` (1-based, k >= 2): from the answer to attempt
    // k-1 leaving the server to attempt k arriving.
    double waitBeforeMs(std::size_t k) const;
};

struct ClientHistory {
    QString client;
    QString by;
    std::vector<OperationHistory> operations;
};

// "503", or the network failure for answers that were not HTTP ("reset", "close", ...).
QString answerOf(const JournalEntry &e);
bool isTransientAnswer(const QString &answer);
// A request as evidence: {"id", "operation", "attempt", "atMs", "answer"}.
QJsonObject requestEvidence(const OperationHistory &op, const JournalEntry &e);

Verdict retriesTransient(const ClientHistory &c, QMap<QString, AnswerTally> *tally);
Verdict stopsOnPermanent(const ClientHistory &c);
Verdict honoursRetryAfter(const ClientHistory &c);
Verdict jitteredVerdict(const InferredBackoff &b);
Verdict notInStep(const ClientHistory &c, const std::vector<ClientHistory> &all);
Verdict keyReused(const ClientHistory &c);
Verdict noUnkeyedPostRetry(const ClientHistory &c);
Verdict withinMaxAttempts(const ClientHistory &c, int statedMax);

} // namespace retrylab
