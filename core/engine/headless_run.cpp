// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless_run.h"

#include "run_controller.h"
#include "system/termination_watcher.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonDocument>
#include <QSaveFile>

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
} // namespace

int runHeadless(const HeadlessOptions &o)
{
    if (o.scenarioFile.isEmpty()) {
        err(u"retrylab: --headless needs --scenario FILE"_s);
        return 2;
    }
    QString error;
    auto scenario = Scenario::load(o.scenarioFile, &error);
    if (!scenario) {
        err(u"retrylab: "_s + error);
        return 2;
    }
    if (o.seed)
        scenario->seed = *o.seed;
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
    if (!o.summaryFile.isEmpty()) {
        QSaveFile file(o.summaryFile);
        QJsonObject json = summary->toJson();
        json.insert(u"scenario"_s, scenario->name);
        json.insert(u"seed"_s, QString::number(scenario->seed));
        json.insert(u"clock"_s, scenario->simulated ? u"simulated"_s : u"real"_s);
        if (!file.open(QIODevice::WriteOnly) ||
            file.write(QJsonDocument(json).toJson(QJsonDocument::Indented)) < 0 || !file.commit()) {
            err(u"retrylab: %1: cannot write: %2"_s.arg(o.summaryFile, file.errorString()));
            return 2;
        }
    }
    return 0;
}

} // namespace retrylab
