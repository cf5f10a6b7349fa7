// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/outcome_category.h"
#include "http/outcome.h"

#include <QColor>

namespace retrylab {

// Retry Lab's one palette: every colour the charts, the attempt table and the HTML report
// use, each in a light and a dark variant. The dark ones are lighter tones of the same hues,
// so a line or a bar keeps its contrast on a dark background and its meaning everywhere.
// Kinds that sit side by side on one chart get hues apart: a 429 (orange) and a wait set by
// Retry-After (mustard, dashed); a breaker rejection (blue) and a wait for the breaker
// (violet, dotted).
namespace palette {

enum class Role {
    Success,
    TooManyRequests, // 429: told to slow down
    Unavailable,     // 503
    ServerError,     // other 5xx
    ClientError,     // other 4xx: our fault
    Timeout,
    Network,          // reset, refused, DNS, TLS
    Refused,          // connection refused, in the chart categories
    BreakerRejection, // refused by our own breaker, never sent
    BudgetRejection,
    Neutral, // anything else, axes' reference lines
    WaitBackoff,
    WaitRetryAfter,
    WaitBreaker,
    FirstAttempts,
    Retries,
    Capacity,
    Expected,  // a formula's or a policy's expectation drawn over measured data
    Early,     // came back before Retry-After said
    Marker,    // points of interest on a line (breaker transitions)
    Duplicate, // a payment charged a second time
};

// Whether the application's palette is dark (its window colour is).
bool isDark();
QColor color(Role role, bool dark);
inline QColor color(Role role)
{
    return color(role, isDark());
}
// The colour of policy `index` in a comparison, stable per slot.
QColor policy(int index, bool dark);
inline QColor policy(int index)
{
    return policy(index, isDark());
}
QColor outcome(OutcomeClass outcome, int status);
QColor category(OutcomeCategory category);
// A translucent outcome colour for a table row: readable text on light and dark bases.
QColor outcomeTint(OutcomeClass outcome, int status);

} // namespace palette
} // namespace retrylab
