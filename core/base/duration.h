// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <chrono>
#include <optional>

namespace retrylab {

// All policy arithmetic is in integer microseconds: exact, and far from overflow.
using Duration = std::chrono::microseconds;

constexpr Duration kMaxDuration = std::chrono::hours(24 * 365);

// Milliseconds as a double, for display and JSON.
double toMs(Duration d);
Duration fromMs(double ms);

// Turns a double number of microseconds into a Duration, clamped to [0, kMaxDuration].
Duration clampMicros(double micros);

struct DurationParse {
    std::optional<Duration> value;
    QString error; // set when value is empty
};

// Parses "250ms", "1.5 s", "2m", "100us" or a bare number of milliseconds ("250").
DurationParse parseDuration(const QString &text);

// The exact form that parseDuration reads back to the same microsecond: "237.974 ms", "1.5 s",
// "2 min". For fields a person edits.
QString formatDuration(Duration d);

// The form for reading, three significant digits at most: "238 ms", "1.24 s", "12.5 ms",
// "2 min". For reasons, previews, hovers and reports.
QString formatDurationReadable(Duration d);

} // namespace retrylab
