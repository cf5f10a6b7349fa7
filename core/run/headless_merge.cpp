// SPDX-License-Identifier: GPL-3.0-or-later
// `retrylab --headless --merge LOG...`: worker logs (Locust's, one per worker process) as one
// run, reported like a run of Retry Lab's own: the summary, the expectations, the files.
#include "analysis/summary_tally.h"
#include "base/atomic_file.h"
#include "headless_run.h"
#include "log/csv_export.h"
#include "log/har_export.h"
#include "log/log_merge.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

// The files asked for, about the merged log; false (said on stderr) when one cannot be written.
bool writeFiles(const HeadlessOptions &o, const AttemptLog &log, const Scenario &scenario,
                const RunSummary &summary, const QList<Expectations::Result> &results)
{
    const Redactor redactor(o.redactHeaders, o.redact);
    QString error;
    const auto failed = [&error](const QString &fallback) {
        headlessSay(u"retrylab: "_s + (error.isEmpty() ? fallback : error));
        return false;
    };
    if (!o.csvFile.isEmpty()) {
        QStringList written;
        if (!writeCsvExport(log, o.csvFile, redactor, &written, &error))
            return failed({});
        headlessSay(u"retrylab: wrote %1"_s.arg(written.join(u", "_s)));
    }
    if (!o.harFile.isEmpty() && !writeHar(log, o.harFile, redactor, &error))
        return failed({});
    if (!o.reportFile.isEmpty() &&
        (!o.writeReport || !o.writeReport(log, scenario, summary, results, o.reportFile, &error)))
        return failed(u"no report writer"_s);
    if (!o.chartsDir.isEmpty() &&
        (!o.writeCharts || o.writeCharts(log, scenario, summary, o.chartsDir, &error).isEmpty()))
        return failed(u"no chart writer"_s);
    if (!o.summaryFile.isEmpty()) {
        QJsonObject json = summary.toJson();
        json.insert(u"scenario"_s, scenario.name);
        json.insert(u"clock"_s, u"real"_s);
        json.insert(u"mergedFrom"_s, QJsonArray::fromStringList(o.mergeLogs));
        if (!results.isEmpty()) {
            QJsonArray list;
            bool allHold = true;
            for (const auto &r : results) {
                allHold = allHold && r.passed;
                list.append(QJsonObject{{u"name"_s, r.name},
                                        {u"bound"_s, r.bound},
                                        {u"measured"_s, r.measured},
                                        {u"passed"_s, r.passed}});
            }
            json.insert(u"expectations"_s, list);
            json.insert(u"expectationsHold"_s, allHold);
        }
        if (!writeFileAtomically(o.summaryFile, QJsonDocument(json).toJson(), &error))
            return failed({});
    }
    return true;
}

} // namespace

int runMerged(const HeadlessOptions &o)
{
    AttemptLog log;
    const LogMergeResult merged = mergeJsonlLogs(o.mergeLogs, log);
    if (!merged.ok) {
        headlessSay(u"retrylab: "_s + merged.error);
        return 2;
    }
    if (merged.truncatedLines > 0)
        headlessSay(
            u"retrylab: %1 unfinished last line(s) skipped (a worker was killed mid-write)"_s.arg(
                merged.truncatedLines));
    FieldProblems problems;
    const QJsonObject json = log.runInfo().scenario;
    auto scenario = Scenario::fromJson(json, &problems);
    if (!scenario) {
        headlessSay(
            u"retrylab: %1: the scenario of its run line is unusable (%2: %3); the run is "
            "reported without it"_s.arg(o.mergeLogs.front(),
                                        problems.isEmpty() ? QString() : problems.front().field,
                                        problems.isEmpty() ? QString() : problems.front().message));
        scenario = Scenario();
        scenario->name = json.value(u"name"_s).toString(u"Merged logs"_s);
    }
    // The workers ran on real time, whatever clock the scenario names.
    scenario->simulated = false;
    headlessSay(
        u"retrylab: merged %1 log(s): %2 attempts, %3 breaker transitions"_s.arg(o.mergeLogs.size())
            .arg(log.size())
            .arg(log.breakerCount()));
    const RunSummary summary = SummaryTally::of(log);
    std::printf("%s\n", qUtf8Printable(summary.toText()));
    const auto results = scenario->expectations.check(summary);
    bool allHold = true;
    if (!results.isEmpty())
        std::printf("expectations:\n");
    for (const auto &r : results) {
        allHold = allHold && r.passed;
        std::printf("  %-22s %-8s measured %-10s %s\n", qUtf8Printable(r.name),
                    qUtf8Printable(r.bound), qUtf8Printable(r.measured),
                    r.passed ? "ok" : (r.measurable ? "FAILED" : "FAILED (not measurable here)"));
    }
    if (!writeFiles(o, log, *scenario, summary, results))
        return 2;
    return allHold ? 0 : 1;
}

} // namespace retrylab
