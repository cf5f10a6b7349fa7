// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/outcome.h"

#include <QList>

namespace retrylab {

// The kinds of outcome the charts tell apart: the ones a person reasons about when reading a
// retry storm. Finer than success/failure, coarser than every status code.
enum class OutcomeCategory {
    Success,
    TooManyRequests,  // 429
    Unavailable,      // 503
    OtherServerError, // other 5xx
    ClientError,      // 4xx other than 429
    Timeout,
    Reset,             // connection reset or closed early
    Refused,           // connection refused, DNS, TLS, other transport failures
    RejectedByBreaker, // never sent
    RejectedByBudget,  // never sent: retry budget or time budget
    Other,             // 1xx, 3xx, cancelled
};

namespace category {
OutcomeCategory of(OutcomeClass outcome, int status);
QString title(OutcomeCategory c);
QString id(OutcomeCategory c);
QList<OutcomeCategory> all();
// Which outcome wins a pixel or a merged row shared by several attempts: the worse and rarer,
// the higher (a timeout over a reset over a 503 over a 429 ... over a success).
int severity(OutcomeCategory c);
constexpr int count()
{
    return static_cast<int>(OutcomeCategory::Other) + 1;
}
} // namespace category

} // namespace retrylab
