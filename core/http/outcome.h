// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QNetworkReply>
#include <QString>

#include <optional>

namespace retrylab {

// What became of one attempt (core/http/README.md, "Which failures are retried").
enum class OutcomeClass {
    Success,           // 2xx
    Informational,     // 1xx that ended the exchange
    Redirect,          // 3xx
    ClientError,       // 4xx
    ServerError,       // 5xx
    Timeout,           // per-attempt timeout or the transport's own
    ConnectionReset,   // reset, or closed before a whole response arrived
    ConnectionRefused, // nothing listening
    Dns,               // host name not found
    Tls,               // handshake or certificate failure
    NetworkOther,      // any other transport failure
    RejectedByBreaker, // never sent: the circuit was open
    RejectedByBudget,  // never sent: the retry budget was empty
    BudgetExhausted,   // never sent: the operation's time budget ran out
    Cancelled,         // never sent: the run was stopped
};

inline size_t qHash(OutcomeClass c, size_t seed = 0) noexcept
{
    return ::qHash(static_cast<int>(c), seed);
}

namespace outcome {

QString id(OutcomeClass c);    // stable name for files: "connection-reset"
QString title(OutcomeClass c); // for people: "Connection reset"
std::optional<OutcomeClass> fromId(const QString &id);

// 2xx → Success, 4xx → ClientError and so on; anything outside 100..599 is NetworkOther.
OutcomeClass fromStatus(int httpStatus);

// Maps a QNetworkReply error that carried no HTTP status. `timedOut` is set by the caller
// when it aborted the reply itself because the per-attempt timeout fired (Qt reports that as
// OperationCanceledError).
OutcomeClass fromNetworkError(QNetworkReply::NetworkError error, bool timedOut = false);

// Reads "408, 429, 500-504" into status codes; says what is wrong otherwise.
std::optional<QList<int>> parseStatusList(const QString &text, QString *error);
QString formatStatusList(const QList<int> &statuses);

// Transport-level failures, as opposed to an HTTP answer or a local rejection.
bool isNetworkFailure(OutcomeClass c);
// The attempt was never sent.
bool isLocalRejection(OutcomeClass c);

} // namespace outcome
} // namespace retrylab
