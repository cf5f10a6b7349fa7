// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless_run.h"

#include "contention_grid.h"
#include "json/json_file.h"
#include "log/csv_export.h"
#include "log/har_export.h"
#include "run_controller.h"
#include "system/termination_watcher.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
void err(const QString &text)
{
    std::fprintf(stderr, "%s\n", qUtf8Printable(text));
}

bool writeJson(const QString &fileName, const QJsonDocument &doc)
{
    QString error;
    if (!writeJsonFile(fileName, doc, &error)) {
        err(u"retrylab: "_s + error);
        return false;
    }
    return true;
}

int runGrid(const HeadlessOptions &o, const Scenario &scenario)
{
    QList<int> clients;
    for (const QString &part : o.gridClients.split(u',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int n = part.trimmed().toInt(&ok);
        if (!ok || n < 1 || n > 1'000'000) {
            err(u"retrylab: --grid-clients: '%1' is not a number of clients"_s.arg(part));
            return 2;
        }
        clients << n;
    }
    QList<BackoffKind> kinds;
    const QString strategies = o.gridStrategies.isEmpty()
                                   ? u"exponential,full-jitter,equal-jitter,decorrelated-jitter"_s
                                   : o.gridStrategies;
    for (const QString &part : strategies.split(u',', Qt::SkipEmptyParts)) {
        const auto kind = Backoff::kindFromId(part.trimmed());
        if (!kind) {
            err(u"retrylab: --grid-strategies: '%1' is not one of %2"_s.arg(
                part, Backoff::ids().join(u", "_s)));
            return 2;
        }
        kinds << *kind;
    }
    if (clients.isEmpty() || o.trials < 1) {
        err(u"retrylab: the grid needs --grid-clients and --trials of at least 1"_s);
        return 2;
    }
    if (!scenario.builtinServer) {
        err(u"retrylab: %1: the contention grid runs against the built-in server's model"_s.arg(
            o.scenarioFile));
        return 2;
    }
    const auto cells = runContentionGrid(scenario, clients, kinds, o.trials);
    std::printf("%s\n", qUtf8Printable(gridTable(cells)));
    if (!o.summaryFile.isEmpty() && !writeJson(o.summaryFile, QJsonDocument(gridJson(cells))))
        return 2;
    return 0;
}
} // namespace

int runHeadless(const HeadlessOptions &o)
{
    if (o.scenarioFile.isEmpty()) {
        err(u"retrylab: --headless needs --scenario FILE"_s);
        return 2;
    }
    QString error;
    // A ready scenario can be named instead of a file: it is built in, installed or not.
    QString file = o.scenarioFile;
    if (!QFileInfo::exists(file) && QFileInfo::exists(u":/scenarios/%1.json"_s.arg(file)))
        file = u":/scenarios/%1.json"_s.arg(file);
    auto scenario = Scenario::load(file, &error);
    if (!scenario) {
        err(u"retrylab: "_s + error);
        return 2;
    }
    if (o.seed)
        scenario->seed = *o.seed;
    if (!o.gridClients.isEmpty())
        return runGrid(o, *scenario);
    if (o.simulated) {
        if (!scenario->builtinServer) {
            err(u"retrylab: %1: --simulated needs the built-in server as the target"_s.arg(
                o.scenarioFile));
            return 2;
        }
        scenario->simulated = true;
    }
#ifdef Q_OS_UNIX
    const bool terminal = ::isatty(2);
#else
    const bool terminal = false;
#endif

    RunController run;
    run.setRedactor(Redactor(o.redactHeaders, o.redact));
    QEventLoop loop;
    int exitCode = 0;
    std::optional<RunSummary> summary;
    QObject::connect(&run, &RunController::runStarted, &loop, [&](const QUrl &target) {
        err(u"retrylab: running '%1' against %2 (%3 time, seed %4)"_s.arg(
            scenario->name, target.toString(), scenario->simulated ? u"simulated"_s : u"real"_s,
            QString::number(scenario->seed)));
    });
    QObject::connect(&run, &RunController::progress, &loop, [&](quint64 done, quint64 started) {
        if (terminal)
            std::fprintf(stderr, "\r%llu operations done, %llu started, %zu attempts   ",
                         static_cast<unsigned long long>(done),
                         static_cast<unsigned long long>(started), run.log()->size());
    });
    QObject::connect(&run, &RunController::runFinished, &loop, [&](const RunSummary &s) {
        summary = s;
        loop.quit();
    });
    QObject::connect(&run, &RunController::runFailed, &loop, [&](const QString &reason) {
        err(u"retrylab: "_s + reason);
        exitCode = 2;
        loop.quit();
    });
    TerminationWatcher watcher;
    QObject::connect(&watcher, &TerminationWatcher::terminationRequested, &loop, [&](int) {
        err(u"\nretrylab: stopping; in-flight attempts finish and everything is written"_s);
        run.stop();
    });
    run.start(*scenario, o.logFile);
    loop.exec();
    if (terminal)
        std::fputs("\n", stderr);
    if (!summary)
        return exitCode ? exitCode : 2;

    std::printf("%s\n", qUtf8Printable(summary->toText()));
    const auto results = scenario->expectations.check(*summary);
    bool allHold = true;
    if (!results.isEmpty()) {
        std::printf("expectations:\n");
        for (const auto &r : results) {
            allHold = allHold && r.passed;
            std::printf("  %-22s %-8s measured %-10s %s\n", qUtf8Printable(r.name),
                        qUtf8Printable(r.bound), qUtf8Printable(r.measured),
                        r.passed ? "ok"
                                 : (r.measurable ? "FAILED" : "FAILED (not measurable here)"));
        }
    }
    const Redactor redactor(o.redactHeaders, o.redact);
    const AttemptLog &log = *run.log();
    error.clear();
    if (!o.csvFile.isEmpty()) {
        QStringList written;
        if (!writeCsvExport(log, o.csvFile, redactor, &written, &error)) {
            err(u"retrylab: "_s + error);
            return 2;
        }
        err(u"retrylab: wrote %1"_s.arg(written.join(u", "_s)));
    }
    if (!o.harFile.isEmpty()) {
        if (!writeHar(log, o.harFile, redactor, &error)) {
            err(u"retrylab: "_s + error);
            return 2;
        }
        err(u"retrylab: wrote %1"_s.arg(o.harFile));
    }
    if (!o.reportFile.isEmpty()) {
        if (!o.writeReport ||
            !o.writeReport(log, *scenario, *summary, results, o.reportFile, &error)) {
            err(u"retrylab: "_s + (error.isEmpty() ? u"no report writer"_s : error));
            return 2;
        }
        err(u"retrylab: wrote %1"_s.arg(o.reportFile));
    }
    if (!o.chartsDir.isEmpty()) {
        const QStringList files = o.writeCharts
                                      ? o.writeCharts(log, *scenario, *summary, o.chartsDir, &error)
                                      : QStringList();
        if (files.isEmpty()) {
            err(u"retrylab: "_s + (error.isEmpty() ? u"no chart writer"_s : error));
            return 2;
        }
        err(u"retrylab: wrote %1 chart files in %2"_s.arg(files.size()).arg(o.chartsDir));
    }
    if (!o.summaryFile.isEmpty()) {
        QJsonObject json = summary->toJson();
        json.insert(u"scenario"_s, scenario->name);
        json.insert(u"seed"_s, QString::number(scenario->seed));
        json.insert(u"clock"_s, scenario->simulated ? u"simulated"_s : u"real"_s);
        if (!results.isEmpty()) {
            QJsonArray list;
            for (const auto &r : results)
                list.append(QJsonObject{{u"name"_s, r.name},
                                        {u"bound"_s, r.bound},
                                        {u"measured"_s, r.measured},
                                        {u"passed"_s, r.passed}});
            json.insert(u"expectations"_s, list);
            json.insert(u"expectationsHold"_s, allHold);
        }
        if (!writeJson(o.summaryFile, QJsonDocument(json)))
            return 2;
    }
    return allHold ? 0 : 1;
}

} // namespace retrylab
