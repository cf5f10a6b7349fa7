// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless_command.h"

#include "report/chart_pictures.h"
#include "report/html_report.h"
#include "run/headless_run.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>
#include <cstring>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
bool wants(int argc, char *argv[], const char *flag)
{
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], flag) == 0 || std::strncmp(argv[i], flag, std::strlen(flag)) == 0)
            return true;
    return false;
}

// The command's options, each declared once.
struct HeadlessFlags {
    const QCommandLineOption headless{u"headless"_s, u"Run a scenario without a window."_s};
    const QCommandLineOption scenario{u"scenario"_s, u"The scenario to run."_s, u"FILE"_s};
    const QCommandLineOption policy{
        u"policy"_s,
        u"Of a comparison scenario, run only the policy of this name (default: every one, side "
        "by side)."_s,
        u"NAME"_s};
    const QCommandLineOption seed{u"seed"_s, u"Override the scenario's seed."_s, u"N"_s};
    const QCommandLineOption simulated{u"simulated"_s, u"Run in simulated time."_s};
    const QCommandLineOption log{u"log"_s, u"Stream the attempt log to FILE (JSON Lines)."_s,
                                 u"FILE.jsonl"_s};
    const QCommandLineOption summary{u"summary"_s, u"Write the summary to FILE (JSON)."_s,
                                     u"FILE.json"_s};
    const QCommandLineOption gridClients{
        u"grid-clients"_s,
        u"Run the contention experiment for these client counts (comma-separated)."_s,
        u"N,N,..."_s};
    const QCommandLineOption gridStrategies{
        u"grid-strategies"_s, u"Backoff strategies for the experiment (comma-separated)."_s,
        u"KIND,..."_s};
    const QCommandLineOption trials{u"trials"_s, u"Seeded trials per experiment cell."_s, u"N"_s,
                                    u"1"_s};
    const QCommandLineOption sweepField{
        u"sweep-field"_s,
        u"Run a study sweeping this scenario field instead of the clients (clients, baseMs, "
        "capMs, multiplier, firstRetryExponent, maxAttempts, networkDelayMs, serviceMs, "
        "capacity, failureRate)."_s,
        u"FIELD"_s};
    const QCommandLineOption sweepValues{
        u"sweep-values"_s, u"The swept field's values: 1,5,25 or a range 10..190/10."_s,
        u"V,V,..."_s};
    const QCommandLineOption jobs{u"jobs"_s,
                                  u"Threads for a study's trials (default: one per core); the "
                                  "results are the same for any number."_s,
                                  u"N"_s, u"0"_s};
    const QCommandLineOption csv{
        u"csv"_s, u"Write the attempts as CSV to FILE (breakers and server journal beside it)."_s,
        u"FILE.csv"_s};
    const QCommandLineOption har{u"har"_s, u"Write the attempts as HAR 1.2 to FILE."_s,
                                 u"FILE.har"_s};
    const QCommandLineOption report{u"report"_s, u"Write a one-page HTML report with the charts."_s,
                                    u"FILE.html"_s};
    const QCommandLineOption charts{u"charts"_s, u"Write every chart as PNG and SVG into DIR."_s,
                                    u"DIR"_s};
    const QCommandLineOption redact{
        u"redact"_s, u"Also hide this header's value in every file written (repeatable)."_s,
        u"HEADER"_s};
    const QCommandLineOption noRedact{
        u"no-redact"_s, u"Write secret headers (Authorization, Cookie...) as they are."_s};
    const QCommandLineOption shards{
        u"shards"_s,
        u"Split a real-time run's clients over N engine threads (default: one per core, at most "
        "4, less one for the built-in server)."_s,
        u"N"_s, u"0"_s};
    const QCommandLineOption shareCores{
        u"share-cores"_s,
        u"Let the system put a real-time run's threads on any core. By default, against the "
        "built-in server, the engine's threads keep to cores of their own and the server and "
        "the log to the others."_s};
    const QCommandLineOption merge{
        u"merge"_s, u"Merge the JSON Lines logs given as arguments (Locust's workers write one "
                    "each) into one run and report on it."_s};

    // In the order --help prints them.
    QList<QCommandLineOption> all() const
    {
        return {headless,   scenario,   policy,      seed,        simulated,
                log,        summary,    csv,         har,         report,
                charts,     redact,     noRedact,    gridClients, gridStrategies,
                trials,     sweepField, sweepValues, jobs,        shards,
                shareCores, merge};
    }
};

// Fills `o` from the parsed command line; on a bad value, says which on stderr and returns false.
bool readHeadlessOptions(const QCommandLineParser &parser, const HeadlessFlags &f,
                         retrylab::HeadlessOptions &o)
{
    o.scenarioFile = parser.value(f.scenario);
    o.policy = parser.value(f.policy);
    if (parser.isSet(f.merge)) {
        o.mergeLogs = parser.positionalArguments();
        if (o.mergeLogs.isEmpty()) {
            std::fprintf(stderr, "retrylab: --merge needs at least one log file\n");
            return false;
        }
    }
    if (parser.isSet(f.seed)) {
        bool ok = false;
        o.seed = parser.value(f.seed).toULongLong(&ok);
        if (!ok) {
            std::fprintf(stderr, "retrylab: --seed: '%s' is not a whole number\n",
                         qUtf8Printable(parser.value(f.seed)));
            return false;
        }
    }
    o.simulated = parser.isSet(f.simulated);
    bool shardsOk = false;
    o.shards = parser.value(f.shards).toInt(&shardsOk);
    if (!shardsOk || o.shards < 0 || o.shards > 64) {
        std::fprintf(stderr, "retrylab: --shards: '%s' is not a number from 0 to 64\n",
                     qUtf8Printable(parser.value(f.shards)));
        return false;
    }
    o.shareCores = parser.isSet(f.shareCores);
    o.logFile = parser.value(f.log);
    o.summaryFile = parser.value(f.summary);
    o.csvFile = parser.value(f.csv);
    o.harFile = parser.value(f.har);
    o.reportFile = parser.value(f.report);
    o.redactHeaders = parser.values(f.redact);
    o.redact = !parser.isSet(f.noRedact);
    o.writeReport = retrylab::writeHtmlReport;
    o.chartsDir = parser.value(f.charts);
    o.writeCharts = retrylab::writeChartPictures;
    o.gridClients = parser.value(f.gridClients);
    o.gridStrategies = parser.value(f.gridStrategies);
    bool trialsOk = false;
    o.trials = parser.value(f.trials).toInt(&trialsOk);
    if (!trialsOk || o.trials < 1) {
        std::fprintf(stderr, "retrylab: --trials: '%s' is not a number above 0\n",
                     qUtf8Printable(parser.value(f.trials)));
        return false;
    }
    o.sweepField = parser.value(f.sweepField);
    o.sweepValues = parser.value(f.sweepValues);
    bool jobsOk = false;
    o.jobs = parser.value(f.jobs).toInt(&jobsOk);
    if (!jobsOk || o.jobs < 0 || o.jobs > 1024) {
        std::fprintf(stderr, "retrylab: --jobs: '%s' is not a number of threads from 1 to 1024\n",
                     qUtf8Printable(parser.value(f.jobs)));
        return false;
    }
    if (!o.sweepField.isEmpty() && o.sweepValues.isEmpty()) {
        std::fprintf(stderr, "retrylab: --sweep-field needs --sweep-values\n");
        return false;
    }
    return true;
}
} // namespace

int runHeadlessCommand(int argc, char *argv[])
{
    // Charts for the report are drawn offscreen; everything else needs no GUI at all.
    std::unique_ptr<QCoreApplication> application;
    if (wants(argc, argv, "--report") || wants(argc, argv, "--charts")) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        application = std::make_unique<QApplication>(argc, argv);
    } else {
        application = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(u"retrylab"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(RETRYLAB_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Retry Lab, headless: run a scenario, check its expectations, write its files."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const HeadlessFlags flags;
    parser.addPositionalArgument(u"LOG"_s, u"With --merge: the logs to merge."_s, u"[LOG...]"_s);
    parser.addOptions(flags.all());
    if (!parser.parse(QCoreApplication::arguments())) {
        std::fprintf(stderr, "retrylab: %s\n", qUtf8Printable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(u"help"_s))
        parser.showHelp(0);
    retrylab::HeadlessOptions o;
    if (!readHeadlessOptions(parser, flags, o))
        return 2;
    return retrylab::runHeadless(o);
}
