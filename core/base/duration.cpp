// SPDX-License-Identifier: GPL-3.0-or-later
#include "duration.h"

#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

double toMs(Duration d)
{
    return static_cast<double>(d.count()) / 1000.0;
}

Duration fromMs(double ms)
{
    return clampMicros(ms * 1000.0);
}

Duration clampMicros(double micros)
{
    if (!(micros > 0.0)) // also catches NaN
        return Duration::zero();
    const auto max = static_cast<double>(kMaxDuration.count());
    if (micros >= max)
        return kMaxDuration;
    return Duration(std::llround(micros));
}

DurationParse parseDuration(const QString &text)
{
    static const QRegularExpression re(
        uR"(^\s*([0-9]+(?:\.[0-9]+)?)\s*(us|µs|ms|s|sec|m|min|h)?\s*$)"_s);
    const auto match = re.match(text);
    if (!match.hasMatch()) {
        if (text.trimmed().isEmpty())
            return {std::nullopt, u"a duration is required, for example 250 ms or 2 s"_s};
        return {
            std::nullopt,
            u"'%1' is not a duration: write a number and a unit, for example 250 ms or 2 s"_s.arg(
                text.trimmed())};
    }
    const double number = match.captured(1).toDouble();
    const QString unit = match.captured(2);
    double micros = number * 1000.0; // bare numbers are milliseconds
    if (unit == u"us"_s || unit == u"µs"_s)
        micros = number;
    else if (unit == u"s"_s || unit == u"sec"_s)
        micros = number * 1e6;
    else if (unit == u"m"_s || unit == u"min"_s)
        micros = number * 60e6;
    else if (unit == u"h"_s)
        micros = number * 3600e6;
    if (micros > static_cast<double>(kMaxDuration.count()))
        return {std::nullopt, u"'%1' is longer than a year"_s.arg(text.trimmed())};
    return {clampMicros(micros), {}};
}

QString formatDuration(Duration d)
{
    const double us = static_cast<double>(d.count());
    if (d.count() == 0)
        return u"0 ms"_s;
    if (d < std::chrono::milliseconds(1))
        return u"%1 us"_s.arg(d.count());
    if (d < std::chrono::seconds(1))
        return u"%1 ms"_s.arg(QString::number(us / 1e3, 'g', 6));
    if (d < std::chrono::minutes(2))
        return u"%1 s"_s.arg(QString::number(us / 1e6, 'g', 6));
    if (d < std::chrono::hours(2))
        return u"%1 min"_s.arg(QString::number(us / 60e6, 'g', 6));
    return u"%1 h"_s.arg(QString::number(us / 3600e6, 'g', 6));
}

} // namespace retrylab
