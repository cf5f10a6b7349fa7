// SPDX-License-Identifier: GPL-3.0-or-later
#include "html_report.h"

#include "base/atomic_file.h"
#include "chart_pictures.h"
#include "charts/chart_export.h"
#include "charts/chart_panel.h"
#include "client_cards_html.h"
#include "style/palette.h"

#include <QDateTime>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

// The SVG element alone, ready to sit inside HTML.
QString inlineSvg(const QByteArray &svg)
{
    const QString text = QString::fromUtf8(svg);
    const qsizetype start = text.indexOf(u"<svg"_s);
    return start < 0 ? QString() : text.mid(start);
}

QString row(const QString &name, const QString &value)
{
    return u"<tr><th>%1</th><td>%2</td></tr>\n"_s.arg(esc(name), esc(value));
}

// Every chart of the run, as inline SVG under its title.
QString chartsSection(const AttemptLog &log, const Scenario &scenario, const RunSummary &s)
{
    QString charts;
    forEachChart(log, scenario, s, [&](ChartPanel *panel) {
        charts += u"<h3>%1</h3>\n<div class=\"chart\">%2</div>\n"_s.arg(
            esc(panel->title()), inlineSvg(renderSvg(panel->picture(), panel->title())));
    });
    return u"<h2>Charts</h2>\n"_s + charts;
}

// The summary's rows: operations, attempts, latency, compliance, breaker, server.
QString summaryRows(const RunSummary &s)
{
    QString summary;
    summary += row(u"Operations"_s, u"%1 (%2 succeeded, %3%)"_s.arg(s.operations)
                                        .arg(s.succeeded)
                                        .arg(100.0 * s.successRate(), 0, 'f', 1));
    for (auto it = s.failedBy.cbegin(); it != s.failedBy.cend(); ++it)
        summary += row(u"Failed: "_s + it.key(), QString::number(it.value()));
    summary += row(u"Attempts sent"_s, u"%1 (%2 retries; %3 refused locally)"_s.arg(s.attemptsSent)
                                           .arg(s.retries)
                                           .arg(s.attemptsRefused));
    summary += row(u"Amplification"_s, QString::number(s.amplification, 'f', 2));
    summary +=
        row(u"Completion time"_s, u"p50 %1 ms · p95 %2 ms · p99 %3 ms"_s.arg(s.p50Ms, 0, 'f', 0)
                                      .arg(s.p95Ms, 0, 'f', 0)
                                      .arg(s.p99Ms, 0, 'f', 0));
    if (s.lagP50Ms >= 0)
        summary += row(u"Answers waiting for the client"_s,
                       u"p50 %1 ms · p99 %2 ms (the client's own delay, not in the times above)"_s
                           .arg(s.lagP50Ms, 0, 'f', 3)
                           .arg(s.lagP99Ms, 0, 'f', 3));
    summary +=
        row(u"Retry-After compliance"_s,
            u"client log %1% (%2 of %3 waits honoured)"_s.arg(s.compliancePercent(), 0, 'f', 1)
                    .arg(s.retryAfterJudged - s.retryAfterViolations)
                    .arg(s.retryAfterJudged) +
                (s.serverCompliancePercent >= 0
                     ? u" · server journal %1%"_s.arg(s.serverCompliancePercent, 0, 'f', 1)
                     : QString()));
    summary += row(u"Breaker transitions"_s, QString::number(s.breakerTransitions));
    if (s.duplicates >= 0)
        summary += row(u"Duplicate effects (server ledger)"_s, QString::number(s.duplicates));
    if (s.peakServerPer100ms >= 0)
        summary += row(u"Peak server load"_s,
                       u"%1 requests in its busiest 100 ms slot"_s.arg(s.peakServerPer100ms));
    return summary;
}

// The expectations with their verdicts, or nothing when the scenario sets none.
QString expectationsSection(const QList<Expectations::Result> &expectations)
{
    QString expected;
    if (!expectations.isEmpty()) {
        expected = u"<h2>Expectations</h2>\n<table>\n<tr><th>Expectation</th><th>Bound</th>"
                   "<th>Measured</th><th>Verdict</th></tr>\n"_s;
        for (const auto &e : expectations)
            expected +=
                u"<tr class=\"%1\"><td>%2</td><td>%3</td><td>%4</td><td>%5</td></tr>\n"_s.arg(
                    e.passed ? u"pass"_s : u"fail"_s, esc(e.name), esc(e.bound), esc(e.measured),
                    e.passed ? u"holds"_s : u"FAILED"_s);
        expected += u"</table>\n"_s;
    }
    return expected;
}

// The document's head and its style sheet, up to the opening <body>.
QString pageHead(const Scenario &scenario)
{
    QString html = u"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"_s;
    html += u"<title>Retry Lab report: %1</title>\n"_s.arg(esc(scenario.name));
    // A report is read on paper and in browsers with light pages: the palette's light tones.
    const QString fail = palette::color(palette::Role::Unavailable, false).name();
    const QString pass = palette::color(palette::Role::Success, false).name();
    html += u"<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
            "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;"
            "padding:4px 10px;text-align:left}th{background:#f3f3f3}tr.fail td{color:%1;"
            "font-weight:bold}tr.pass td:last-child{color:%2}pre{background:#f7f7f7;"
            "padding:1em;overflow:auto}.chart svg{max-width:100%;height:auto}</style>\n"
            "</head><body>\n"_s.arg(fail, pass);
    return html;
}

// What was run: title, description, target, load, clock and seed.
QString scenarioSection(const Scenario &scenario, const AttemptLog::RunInfo &info)
{
    const QString target = scenario.builtinServer
                               ? u"built-in server, profile %1"_s.arg(scenario.profile.name)
                               : scenario.url.toString();
    QString html = u"<h1>%1</h1>\n"_s.arg(esc(scenario.name));
    if (!scenario.description.isEmpty())
        html += u"<p>%1</p>\n"_s.arg(esc(scenario.description));
    html += u"<p>Target: %1 · %2 %3 · %4 clients × %5 · %6 time · seed %7"_s
                .arg(esc(target), esc(QString::fromLatin1(scenario.method)), esc(scenario.path))
                .arg(scenario.clients)
                .arg(scenario.arrivalRatePerSecond > 0
                         ? u"%1 operations/s for %2"_s.arg(scenario.arrivalRatePerSecond)
                               .arg(formatDurationReadable(scenario.duration))
                         : u"%1 operations"_s.arg(scenario.operationsPerClient))
                .arg(scenario.simulated ? u"simulated"_s : u"real"_s)
                .arg(scenario.seed);
    if (info.startedAt.isValid())
        html +=
            u" · started %1 UTC"_s.arg(info.startedAt.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s));
    return html + u"</p>\n"_s;
}

} // namespace

QString htmlReport(const AttemptLog &log, const Scenario &scenario, const RunSummary &s,
                   const QList<Expectations::Result> &expectations)
{
    const QString policy =
        QString::fromUtf8(QJsonDocument(scenario.policy.toJson()).toJson(QJsonDocument::Indented));
    QString html = pageHead(scenario);
    html += scenarioSection(scenario, log.runInfo());
    html += u"<h2>Summary</h2>\n<table>\n"_s + summaryRows(s) + u"</table>\n"_s;
    html += expectationsSection(expectations);
    html += clientCardsHtml(GradeReport::grade(log.journalRecords()));
    html += chartsSection(log, scenario, s);
    html += u"<h2>Policy</h2>\n<pre>%1</pre>\n"_s.arg(esc(policy));
    html += u"<p><small>Written by Retry Lab %1 on %2.</small></p>\n</body></html>\n"_s.arg(
        QStringLiteral(RETRYLAB_VERSION), QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    return html;
}

bool writeHtmlReport(const AttemptLog &log, const Scenario &scenario, const RunSummary &summary,
                     const QList<Expectations::Result> &expectations, const QString &fileName,
                     QString *error)
{
    return writeFileAtomically(fileName, htmlReport(log, scenario, summary, expectations).toUtf8(),
                               error);
}

} // namespace retrylab
