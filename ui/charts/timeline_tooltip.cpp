// SPDX-License-Identifier: GPL-3.0-or-later
#include "timeline_tooltip.h"

#include "log/attempt_log.h"
#include "style/palette.h"

#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

// Times of day in the run in seconds to the millisecond; durations in milliseconds.
QString seconds(qint64 us)
{
    return u"%1 s"_s.arg(QString::number(double(us) / 1e6, 'f', 3));
}

QString millis(qint64 us, int decimals)
{
    return u"%1 ms"_s.arg(QString::number(double(us) / 1e3, 'f', decimals));
}

QString row(const QString &name, const QString &value)
{
    return u"<tr><td style='padding-right:12px'>%1</td><td>%2</td></tr>"_s.arg(name, value);
}

QString swatch(OutcomeCategory c)
{
    return u"<span style='color:%1'>&#9632;</span> "_s.arg(palette::category(c).name());
}

QString delaySourceText(DelaySource s)
{
    switch (s) {
    case DelaySource::Backoff:
        return TimelineTooltip::tr("backoff");
    case DelaySource::Server:
        return TimelineTooltip::tr("Retry-After");
    case DelaySource::Breaker:
        return TimelineTooltip::tr("the breaker");
    }
    return {};
}

QString stopText(StopReason s)
{
    switch (s) {
    case StopReason::None:
        break;
    case StopReason::Succeeded:
        return TimelineTooltip::tr("succeeded");
    case StopReason::FinalAnswer:
        return TimelineTooltip::tr("a final answer, not retried");
    case StopReason::NotRetryable:
        return TimelineTooltip::tr("gave up: not a retryable failure");
    case StopReason::NonIdempotent:
        return TimelineTooltip::tr("gave up: not idempotent without a key");
    case StopReason::MaxAttempts:
        return TimelineTooltip::tr("gave up: attempts used up");
    case StopReason::TimeBudgetExhausted:
        return TimelineTooltip::tr("gave up: time budget used up");
    case StopReason::PushbackBeyondBudget:
        return TimelineTooltip::tr("gave up: asked to wait past the time budget");
    case StopReason::ServerSaidNoRetry:
        return TimelineTooltip::tr("gave up: the server said not to retry");
    case StopReason::Rejected:
        return TimelineTooltip::tr("refused here, never sent");
    case StopReason::Stopped:
        return TimelineTooltip::tr("the run was stopped");
    }
    return stopReasonId(s);
}

} // namespace

QString TimelineTooltip::attempt(const AttemptLog &log, const AttemptRecord &r)
{
    const OutcomeCategory category = category::of(r.outcome, r.status);
    QString html = u"<b>%1</b><table cellspacing='0' cellpadding='1'>"_s.arg(
        tr("Client %1 · operation %2 · attempt %3").arg(r.client).arg(r.operation).arg(r.attempt));
    html += row(tr("Request"), u"%1 %2"_s.arg(log.string(r.method).toHtmlEscaped(),
                                              log.string(r.url).toHtmlEscaped()));
    html += row(tr("Outcome"), swatch(category) + outcome::title(r.outcome) +
                                   (r.status ? u" (%1)"_s.arg(r.status) : QString()));
    if (outcome::isLocalRejection(r.outcome)) {
        html += row(tr("Refused at"), tr("%1, never sent").arg(seconds(r.startedUs)));
    } else {
        html += row(tr("Sent at"), seconds(r.startedUs));
        const bool answered = r.status != 0;
        html += row(answered ? tr("Answered after") : tr("Failed after"),
                    millis(r.finishedUs - r.startedUs, 1));
    }
    if (r.plannedDelayUs >= 0)
        html += row(tr("Waited before"),
                    tr("%1 for %2 (planned %3%4)")
                        .arg(millis(r.actualDelayUs, 0), delaySourceText(r.delaySource),
                             millis(r.plannedDelayUs, 0),
                             r.shortened ? tr(", shortened to fit the budget") : QString()));
    if (r.retryAfterUs >= 0)
        html +=
            row(tr("Retry-After"), tr("%1 asked by this answer").arg(millis(r.retryAfterUs, 0)));
    html += row(tr("Breaker"), tr("%1 when it started").arg(breakerStateId(r.breakerAtStart)));
    if (r.idempotencyKey)
        html += row(tr("Idempotency key"), log.string(r.idempotencyKey).toHtmlEscaped());
    if (r.detail)
        html += row(tr("Why"), log.string(r.detail).toHtmlEscaped());
    if (r.lastOfOperation)
        html += row(tr("Operation"), tr("ended here: %1").arg(stopText(r.stop)));
    html += u"</table>"_s;
    if (r.phases.known())
        html += phases(r);
    return html;
}

QString TimelineTooltip::phases(const AttemptRecord &r)
{
    const PhaseTimings &p = r.phases;
    const std::pair<QString, qint32> all[] = {
        {tr("queued"), p.blockedUs}, {tr("DNS"), p.dnsUs},   {tr("connect"), p.connectUs},
        {tr("TLS"), p.tlsUs},        {tr("send"), p.sendUs}, {tr("wait (to first byte)"), p.waitUs},
        {tr("receive"), p.receiveUs}};
    qint64 total = 0;
    QString last;
    for (const auto &[name, us] : all)
        if (us >= 0) {
            total += us;
            last = name;
        }
    // A waterfall: each phase's bar starts where the one before it ended, 160 px for the whole.
    constexpr int kWidth = 160;
    const QString bar = palette::color(palette::Role::FirstAttempts).name();
    QString rows;
    qint64 before = 0;
    for (const auto &[name, us] : all) {
        if (us < 0)
            continue;
        const int from = total > 0 ? int(double(before) / double(total) * kWidth) : 0;
        const int width = std::max(1, total > 0 ? int(double(us) / double(total) * kWidth) : 1);
        rows += u"<tr><td style='padding-right:12px'>%1</td><td align='right'>%2</td>"
                "<td style='padding-left:10px'><table cellspacing='0' cellpadding='0'><tr>"
                "<td width='%3'></td><td width='%4' bgcolor='%5'>&nbsp;</td>"
                "<td width='%6'></td></tr></table></td></tr>"_s.arg(name, millis(us, 3))
                    .arg(from)
                    .arg(width)
                    .arg(bar)
                    .arg(std::max(0, kWidth - from - width));
        before += us;
    }
    rows += u"<tr><td><b>%1</b></td><td align='right'><b>%2</b></td><td></td></tr>"_s.arg(
        tr("total"), millis(total, 3));
    // After the last byte, not part of the exchange: the answer waiting for this client.
    if (p.lagUs >= 0)
        rows += u"<tr><td style='padding-right:12px'>%1</td><td align='right'>%2</td>"
                "<td></td></tr>"_s.arg(tr("then waited for the client"), millis(p.lagUs, 3));
    QString heading = p.reused ? tr("On the wire, on a reused connection")
                               : tr("On the wire, on a new connection");
    if (r.outcome == OutcomeClass::Timeout && !last.isEmpty())
        heading += tr(": timed out during %1").arg(last);
    return u"<p style='margin-top:6px; margin-bottom:2px'><b>%1</b></p>"
           "<table cellspacing='0' cellpadding='1'>%2</table>"_s.arg(heading, rows);
}

QString TimelineTooltip::mergedRow(TimelineLanes::By by, int firstLane, int lastLane, qint64 fromUs,
                                   qint64 toUs, std::optional<OutcomeCategory> worst)
{
    const int count = lastLane - firstLane + 1;
    QString html = u"<b>%1</b><table cellspacing='0' cellpadding='1'>"_s.arg(
        by == TimelineLanes::By::Operation ? tr("Lanes %1–%2: %3 operations merged in this row")
                                                 .arg(firstLane)
                                                 .arg(lastLane)
                                                 .arg(count)
                                           : tr("Lanes %1–%2: %3 clients merged in this row")
                                                 .arg(firstLane)
                                                 .arg(lastLane)
                                                 .arg(count));
    html += row(tr("Time"), u"%1 – %2"_s.arg(seconds(fromUs), seconds(toUs)));
    html += row(tr("Worst outcome"),
                worst ? swatch(*worst) + category::title(*worst) : tr("no attempt here"));
    html += u"</table><p style='margin-top:6px'>%1</p>"_s.arg(
        tr("Ctrl+wheel zooms into the lanes to show each attempt."));
    return html;
}

} // namespace retrylab
