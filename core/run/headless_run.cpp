// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless_run.h"

#include "comparison_run.h"
#include "json/json_file.h"
#include "log/csv_export.h"
#include "log/har_export.h"
#include "run_worker.h"
#include "system/termination_watcher.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cstdio>
#include <numeric>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace retrylab {

void headlessSay(const QString &text)
{
    std::fprintf(stderr, "%s\n", qUtf8Printable(text));
}

namespace {

bool writeJson(const QString &fileName, const QJsonDocument &doc)
{
    QString error;
    if (!writeJsonFile(fileName, doc, &error)) {
        headlessSay(u"retrylab: "_s + error);
        return false;
    }
    return true;
}

// A ready scenario can be named instead of a file: it is built in, installed or not. Applies
// --seed, --simulated and --policy; says what is wrong (exit 2) when it cannot.
std::optional<Scenario> loadScenario(const HeadlessOptions &o)
{
    if (o.scenarioFile.isEmpty()) {
        headlessSay(u"retrylab: --headless needs --scenario FILE"_s);
        return std::nullopt;
    }
    QString error;
    QString file = o.scenarioFile;
    if (!QFileInfo::exists(file) && QFileInfo::exists(u":/scenarios/%1.json"_s.arg(file)))
        file = u":/scenarios/%1.json"_s.arg(file);
    auto scenario = Scenario::load(file, &error);
    if (!scenario) {
        headlessSay(u"retrylab: "_s + error);
        return std::nullopt;
    }
    if (o.seed)
        scenario->seed = *o.seed;
    if (o.simulated) {
        if (!scenario->builtinServer) {
            headlessSay(u"retrylab: %1: --simulated needs the built-in server as the target"_s.arg(
                o.scenarioFile));
            return std::nullopt;
        }
        scenario->simulated = true;
    }
    if (!o.policy.isEmpty()) {
        QStringList names;
        for (int i = 0; i < scenario->compare.size(); ++i) {
            if (scenario->compare[i].name == o.policy)
                return scenario->variant(i);
            names << scenario->compare[i].name;
        }
        headlessSay(names.isEmpty()
                        ? u"retrylab: --policy: %1 compares no policies"_s.arg(o.scenarioFile)
                        : u"retrylab: --policy: %1 has no policy called '%2' (it has: %3)"_s.arg(
                              o.scenarioFile, o.policy, names.join(u", "_s)));
        return std::nullopt;
    }
    return scenario;
}

// The file run `run` writes: the name as given for a single run; in a comparison, the
// policy's number and name before the extension ("out.csv" → "out.2-full-jitter.csv").
QString fileFor(const QString &name, const Scenario &scenario, int run)
{
    if (name.isEmpty() || scenario.compare.isEmpty())
        return name;
    QString slug;
    for (const QChar c : scenario.compare[run].name.toLower())
        slug += c.isLetterOrNumber() && c.unicode() < 128 ? c : u'-';
    static const QRegularExpression dashes(u"-+"_s);
    slug = slug.replace(dashes, u"-"_s);
    while (slug.endsWith(u'-'))
        slug.chop(1);
    while (slug.startsWith(u'-'))
        slug.remove(0, 1);
    const QString tag = u"%1-%2"_s.arg(run + 1).arg(slug);
    const QFileInfo info(name);
    if (info.suffix().isEmpty()) // a directory (--charts)
        return name + u'/' + tag;
    return info.dir().filePath(info.completeBaseName() + u'.' + tag + u'.' + info.suffix());
}

// How the runs ended besides their summaries: stopped by a signal, or a log not written.
struct RunEnd {
    bool interrupted = false;
    QString logError;
};

// Runs every policy to its end (or until SIGINT/SIGTERM stops them), with progress on stderr
// when that is a terminal.
RunEnd runToTheEnd(ComparisonRun &runs, const HeadlessOptions &o, const Scenario &scenario)
{
    RunEnd end;
#ifdef Q_OS_UNIX
    const bool terminal = ::isatty(2);
#else
    const bool terminal = false;
#endif
    QEventLoop loop;
    QList<quint64> done, started;
    QObject::connect(&runs, &ComparisonRun::runStarted, &loop, [&](int run, const QUrl &target) {
        const Scenario &s = runs.scenario(run);
        const QString threads = runs.log(run)->runInfo().threads;
        headlessSay(u"retrylab: running '%1' against %2 (%3 time, seed %4%5)"_s.arg(
            s.name, target.toString(), s.simulated ? u"simulated"_s : u"real"_s,
            QString::number(s.seed), threads.isEmpty() ? QString() : u"; "_s + threads));
    });
    QObject::connect(&runs, &ComparisonRun::progress, &loop, [&](int run, quint64 d, quint64 s) {
        done.resize(runs.size());
        started.resize(runs.size());
        done[run] = d;
        started[run] = s;
        std::size_t attempts = 0;
        for (int i = 0; i < runs.size(); ++i)
            attempts += runs.log(i)->size();
        if (terminal)
            std::fprintf(
                stderr, "\r%llu operations done, %llu started, %zu attempts   ",
                static_cast<unsigned long long>(std::accumulate(done.begin(), done.end(), 0ULL)),
                static_cast<unsigned long long>(
                    std::accumulate(started.begin(), started.end(), 0ULL)),
                attempts);
    });
    QObject::connect(&runs, &ComparisonRun::runEnded, &loop, [&](int run) {
        if (!runs.failure(run).isEmpty())
            headlessSay(u"retrylab: "_s + runs.failure(run));
    });
    QObject::connect(&runs, &ComparisonRun::finished, &loop, &QEventLoop::quit);
    QObject::connect(&runs, &ComparisonRun::logFailed, &loop, [&](int, const QString &reason) {
        headlessSay(u"\nretrylab: "_s + reason + u"; stopping the run"_s);
        end.logError = reason;
    });
    TerminationWatcher watcher;
    QObject::connect(&watcher, &TerminationWatcher::terminationRequested, &loop, [&](int) {
        headlessSay(
            end.interrupted
                ? u"\nretrylab: stopping now; attempts in flight are abandoned"_s
                : u"\nretrylab: stopping; attempts in flight get %1 s to finish, then everything "
                  "is written (again to stop at once)"_s.arg(RunWorker::kStopGraceMs / 1000));
        end.interrupted = true;
        runs.stop();
    });
    QStringList logs;
    for (int i = 0; i < std::max(qsizetype(1), scenario.compare.size()); ++i)
        logs << fileFor(o.logFile, scenario, i);
    runs.start(scenario, logs);
    loop.exec();
    if (terminal)
        std::fputs("\n", stderr);
    return end;
}

// Prints each result; true when every one holds.
bool printExpectations(const QList<Expectations::Result> &results)
{
    bool allHold = true;
    if (results.isEmpty())
        return true;
    std::printf("expectations:\n");
    for (const auto &r : results) {
        allHold = allHold && r.passed;
        std::printf("  %-22s %-8s measured %-10s %s\n", qUtf8Printable(r.name),
                    qUtf8Printable(r.bound), qUtf8Printable(r.measured),
                    r.passed ? "ok" : (r.measurable ? "FAILED" : "FAILED (not measurable here)"));
    }
    return allHold;
}

// The summary file's part for one run: its summary and how its expectations fared.
QJsonObject runJson(const RunSummary &summary, const QList<Expectations::Result> &results)
{
    QJsonObject json = summary.toJson();
    if (results.isEmpty())
        return json;
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
    return json;
}

// Writes the files asked for about run `run`; false (said on stderr) when one cannot be.
bool writeRunFiles(const HeadlessOptions &o, const ComparisonRun &runs, const Scenario &scenario,
                   int run)
{
    const Redactor redactor(o.redactHeaders, o.redact);
    const AttemptLog &log = *runs.log(run);
    const Scenario &single = runs.scenario(run);
    const RunSummary &summary = runs.summary(run);
    QString error;
    const auto failed = [&error](const QString &fallback) {
        headlessSay(u"retrylab: "_s + (error.isEmpty() ? fallback : error));
        return false;
    };
    if (const QString csv = fileFor(o.csvFile, scenario, run); !csv.isEmpty()) {
        QStringList written;
        if (!writeCsvExport(log, csv, redactor, &written, &error))
            return failed({});
        headlessSay(u"retrylab: wrote %1"_s.arg(written.join(u", "_s)));
    }
    if (const QString har = fileFor(o.harFile, scenario, run); !har.isEmpty()) {
        if (!writeHar(log, har, redactor, &error))
            return failed({});
        headlessSay(u"retrylab: wrote %1"_s.arg(har));
    }
    if (const QString report = fileFor(o.reportFile, scenario, run); !report.isEmpty()) {
        if (!o.writeReport || !o.writeReport(log, single, summary, runs.check(run), report, &error))
            return failed(u"no report writer"_s);
        headlessSay(u"retrylab: wrote %1"_s.arg(report));
    }
    if (const QString dir = fileFor(o.chartsDir, scenario, run); !dir.isEmpty()) {
        const QStringList files =
            o.writeCharts ? o.writeCharts(log, single, summary, dir, &error) : QStringList();
        if (files.isEmpty())
            return failed(u"no chart writer"_s);
        headlessSay(u"retrylab: wrote %1 chart files in %2"_s.arg(files.size()).arg(dir));
    }
    return true;
}
} // namespace

int runHeadless(const HeadlessOptions &o)
{
    if (!o.mergeLogs.isEmpty())
        return runMerged(o);
    const auto scenario = loadScenario(o);
    if (!scenario)
        return 2;
    if (!o.gridClients.isEmpty() || !o.sweepField.isEmpty())
        return runStudyHeadless(o, *scenario);

    ComparisonRun runs;
    runs.setRedactor(Redactor(o.redactHeaders, o.redact));
    runs.setShards(o.shards);
    runs.setSplitCores(!o.shareCores);
    const RunEnd end = runToTheEnd(runs, o, *scenario);

    const bool comparison = !scenario->compare.isEmpty();
    bool allHold = true;
    bool allRan = true;
    QJsonArray policies;
    for (int i = 0; i < runs.size(); ++i) {
        if (comparison)
            std::printf("== %s ==\n", qUtf8Printable(runs.policyName(i)));
        if (!runs.failure(i).isEmpty()) {
            std::printf("did not run to the end: %s\n\n", qUtf8Printable(runs.failure(i)));
            allRan = false;
            continue;
        }
        std::printf("%s\n", qUtf8Printable(runs.summary(i).toText()));
        const auto results = runs.check(i);
        allHold = printExpectations(results) && allHold;
        if (comparison)
            std::printf("\n");
        QJsonObject json = runJson(runs.summary(i), results);
        json.insert(u"policy"_s, runs.policyName(i));
        policies.append(json);
    }
    if (comparison)
        std::printf("%s\n", qUtf8Printable(runs.table()));
    if (!allRan)
        return 2;
    for (int i = 0; i < runs.size(); ++i)
        if (!writeRunFiles(o, runs, *scenario, i))
            return 2;
    if (!o.summaryFile.isEmpty()) {
        // One run: its summary at the top level, as before comparisons ran headless.
        QJsonObject json =
            comparison ? QJsonObject{{u"policies"_s, policies}, {u"expectationsHold"_s, allHold}}
                       : policies.first().toObject();
        if (!comparison)
            json.remove(u"policy"_s);
        json.insert(u"scenario"_s, scenario->name);
        json.insert(u"seed"_s, QString::number(scenario->seed));
        json.insert(u"clock"_s, scenario->simulated ? u"simulated"_s : u"real"_s);
        if (!writeJson(o.summaryFile, QJsonDocument(json)))
            return 2;
    }
    // After every file is written: a broken log is bad output (2), an interrupted run is not
    // a pass (130, as a shell reports SIGINT), whatever the expectations say.
    if (!end.logError.isEmpty()) {
        headlessSay(u"retrylab: the attempt log is incomplete: "_s + end.logError);
        return 2;
    }
    if (end.interrupted) {
        headlessSay(u"retrylab: the run was interrupted"_s);
        return kInterruptedExitCode;
    }
    return allHold ? 0 : 1;
}

} // namespace retrylab
