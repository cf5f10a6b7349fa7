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
    if (!match.hasMatch() && text.trimmed().startsWith(u'-')) {
        return {
            std::nullopt,
            u"'%1' must not be negative: a wait or a limit is zero or more, for example 0 ms"_s.arg(
                text.trimmed())};
    }
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

namespace {
// At most three significant digits and no exponent: 0.237 -> "0.24", 12.34 -> "12.3", 237.97 ->
// "238"; trailing zeros dropped.
QString threeDigits(double v)
{
    const int decimals = v < 10 ? 2 : v < 100 ? 1 : 0;
    QString s = QString::number(v, 'f', decimals);
    if (s.contains(u'.')) {
        while (s.endsWith(u'0'))
            s.chop(1);
        if (s.endsWith(u'.'))
            s.chop(1);
    }
    return s;
}
} // namespace

QString formatDurationReadable(Duration d)
{
    const double us = static_cast<double>(d.count());
    if (d.count() == 0)
        return u"0 ms"_s;
    // The unit is chosen on the rounded value, so 999.7 ms reads "1 s", not "1000 ms".
    if (us < 999.5)
        return u"%1 us"_s.arg(threeDigits(us));
    if (us < 999.5e3)
        return u"%1 ms"_s.arg(threeDigits(us / 1e3));
    if (us < 119.5e6)
        return u"%1 s"_s.arg(threeDigits(us / 1e6));
    if (us < 119.5 * 60e6)
        return u"%1 min"_s.arg(threeDigits(us / 60e6));
    return u"%1 h"_s.arg(threeDigits(us / 3600e6));
}

} // namespace retrylab
