// SPDX-License-Identifier: GPL-3.0-or-later
#include "script_step.h"

#include "http/retry_after.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

const QStringList kFaults{u""_s,         u"reset"_s,   u"close"_s,     u"hang"_s,
                          u"truncate"_s, u"garbage"_s, u"slow-body"_s, u"commit-then-lose"_s};

// "date+3s": an HTTP-date this many seconds ahead of the answer.
std::optional<int> dateAhead(const QString &text)
{
    static const QRegularExpression re(u"^date\\+(\\d{1,5})s$"_s);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    return m.captured(1).toInt();
}

} // namespace

QByteArray ScriptStep::retryAfterValue(const QDateTime &wallNow,
                                       std::optional<Duration> *asked) const
{
    if (const auto ahead = dateAhead(retryAfter)) {
        const QDateTime at = wallNow.toUTC().addSecs(*ahead);
        // The date carries whole seconds: what the client must honour is the date itself.
        *asked = std::chrono::milliseconds(
            std::max<qint64>(0, wallNow.msecsTo(at) - wallNow.time().msec()));
        return formatHttpDate(at);
    }
    const QByteArray value = retryAfter.toLatin1();
    const RetryAfter read = parseRetryAfter({value}, wallNow);
    *asked = read.delay;
    return value;
}

QJsonObject ScriptStep::toJson() const
{
    QJsonObject o;
    if (fault.isEmpty())
        o.insert(u"status"_s, status);
    else
        o.insert(u"fault"_s, fault);
    if (!retryAfter.isEmpty())
        o.insert(u"retryAfter"_s, retryAfter);
    return o;
}

std::optional<ScriptStep> ScriptStep::fromJson(const QJsonValue &json, QString *error)
{
    const auto fail = [&](const QString &why) -> std::optional<ScriptStep> {
        *error = why;
        return std::nullopt;
    };
    if (!json.isObject())
        return fail(u"must be an object such as {\"status\": 503, \"retryAfter\": \"2\"} or "
                    "{\"fault\": \"reset\"}"_s);
    const QJsonObject o = json.toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
        if (it.key() != u"status"_s && it.key() != u"fault"_s && it.key() != u"retryAfter"_s)
            return fail(u"unknown field '%1' (status, fault, retryAfter)"_s.arg(it.key()));
    ScriptStep step;
    if (o.contains(u"status"_s)) {
        const double status = o.value(u"status"_s).toDouble(-1);
        if (status < 100 || status > 599 || status != std::floor(status))
            return fail(u"status must be a whole number from 100 to 599"_s);
        step.status = static_cast<int>(status);
    }
    step.fault = o.value(u"fault"_s).toString();
    if (!kFaults.contains(step.fault))
        return fail(u"fault must be one of: "_s + kFaults.mid(1).join(u", "_s));
    if (!step.fault.isEmpty() && o.contains(u"status"_s) && step.fault != u"truncate"_s &&
        step.fault != u"slow-body"_s && step.fault != u"commit-then-lose"_s)
        return fail(u"a '%1' sends no status: leave status out"_s.arg(step.fault));
    const QJsonValue ra = o.value(u"retryAfter"_s);
    if (ra.isDouble()) {
        if (ra.toDouble() < 0 || ra.toDouble() > 86400 ||
            ra.toDouble() != std::floor(ra.toDouble()))
            return fail(u"retryAfter must be whole seconds from 0 to 86400"_s);
        step.retryAfter = QString::number(ra.toInt());
    } else if (ra.isString()) {
        step.retryAfter = ra.toString();
        if (step.retryAfter.isEmpty() || step.retryAfter.size() > 200)
            return fail(u"retryAfter must be seconds, \"date+3s\", or up to 200 characters"_s);
        if (step.retryAfter.startsWith(u"date"_s) && !dateAhead(step.retryAfter))
            return fail(u"retryAfter: write a date ahead as \"date+3s\" (1 to 5 digits)"_s);
    } else if (!ra.isUndefined()) {
        return fail(u"retryAfter must be a number of seconds or a string"_s);
    }
    return step;
}

} // namespace retrylab
