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

// Short human form that parseDuration reads back: "250 ms", "1.5 s", "2 min".
QString formatDuration(Duration d);

} // namespace retrylab
