// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/headless_run.h"
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace Qt::StringLiterals;

namespace {

bool haveDisplay()
{
    const auto set = [](const char *name) {
        const char *v = std::getenv(name);
        return v && *v;
    };
    return set("DISPLAY") || set("WAYLAND_DISPLAY") || set("QT_QPA_PLATFORM");
}

bool wants(int argc, char *argv[], std::initializer_list<const char *> flags)
{
    for (int i = 1; i < argc; ++i)
        for (const char *f : flags)
            if (std::strcmp(argv[i], f) == 0)
                return true;
    return false;
}

void describe(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        u"Retry Lab: drive retry policies against endpoints and watch every attempt."_s);
    parser.addHelpOption();
    parser.addVersionOption();
}

} // namespace

int main(int argc, char *argv[])
{
    // The headless mode needs no display and no widgets.
    if (wants(argc, argv, {"--headless"})) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(u"retrylab"_s);
        QCoreApplication::setApplicationVersion(QStringLiteral(RETRYLAB_VERSION));
        QCommandLineParser parser;
        describe(parser);
        const QCommandLineOption headless(u"headless"_s, u"Run a scenario without a window."_s);
        const QCommandLineOption scenario(u"scenario"_s, u"The scenario to run."_s, u"FILE"_s);
        const QCommandLineOption seed(u"seed"_s, u"Override the scenario's seed."_s, u"N"_s);
        const QCommandLineOption simulated(u"simulated"_s, u"Run in simulated time."_s);
        const QCommandLineOption log(u"log"_s, u"Stream the attempt log to FILE (JSON Lines)."_s,
                                     u"FILE.jsonl"_s);
        const QCommandLineOption summary(u"summary"_s, u"Write the summary to FILE (JSON)."_s,
                                         u"FILE.json"_s);
        const QCommandLineOption gridClients(
            u"grid-clients"_s,
            u"Run the contention experiment for these client counts (comma-separated)."_s,
            u"N,N,..."_s);
        const QCommandLineOption gridStrategies(
            u"grid-strategies"_s, u"Backoff strategies for the experiment (comma-separated)."_s,
            u"KIND,..."_s);
        const QCommandLineOption trials(u"trials"_s, u"Seeded trials per experiment cell."_s,
                                        u"N"_s, u"1"_s);
        parser.addOptions({headless, scenario, seed, simulated, log, summary, gridClients,
                           gridStrategies, trials});
        if (!parser.parse(QCoreApplication::arguments())) {
            std::fprintf(stderr, "retrylab: %s\n", qUtf8Printable(parser.errorText()));
            return 2;
        }
        if (parser.isSet(u"help"_s))
            parser.showHelp(0);
        retrylab::HeadlessOptions o;
        o.scenarioFile = parser.value(scenario);
        if (parser.isSet(seed)) {
            bool ok = false;
            o.seed = parser.value(seed).toULongLong(&ok);
            if (!ok) {
                std::fprintf(stderr, "retrylab: --seed: '%s' is not a whole number\n",
                             qUtf8Printable(parser.value(seed)));
                return 2;
            }
        }
        o.simulated = parser.isSet(simulated);
        o.logFile = parser.value(log);
        o.summaryFile = parser.value(summary);
        o.gridClients = parser.value(gridClients);
        o.gridStrategies = parser.value(gridStrategies);
        bool trialsOk = false;
        o.trials = parser.value(trials).toInt(&trialsOk);
        if (!trialsOk || o.trials < 1) {
            std::fprintf(stderr, "retrylab: --trials: '%s' is not a number above 0\n",
                         qUtf8Printable(parser.value(trials)));
            return 2;
        }
        return retrylab::runHeadless(o);
    }

    // --help and --version must work without a display too.
    if (!haveDisplay() && wants(argc, argv, {"--version", "-v", "--help", "-h"}))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (!haveDisplay()) {
        std::fputs("retrylab: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
                   "  Run it under a virtual display:  xvfb-run -a retrylab\n"
                   "  without a window at all:         QT_QPA_PLATFORM=offscreen retrylab\n"
                   "  or run a scenario headless:      retrylab --headless --scenario FILE\n",
                   stderr);
        return 2;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(u"retrylab"_s);
    QApplication::setApplicationDisplayName(u"Retry Lab"_s);
    QApplication::setOrganizationName(u"Retry Lab"_s);
    QApplication::setApplicationVersion(QStringLiteral(RETRYLAB_VERSION));
    QCommandLineParser parser;
    describe(parser);
    parser.process(app);

    retrylab::MainWindow window;
    window.show();
    return QApplication::exec();
}
