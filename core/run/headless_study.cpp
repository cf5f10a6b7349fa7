// SPDX-License-Identifier: GPL-3.0-or-later
// `retrylab --headless --grid-clients ...` and `--sweep-field ...`: a study instead of a run.
#include "base/atomic_file.h"
#include "contention_grid.h"
#include "headless_run.h"
#include "json/json_file.h"
#include "study_fields.h"

#include <QElapsedTimer>
#include <QJsonDocument>

#include <cstdio>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

bool writeText(const QString &file, const QString &text)
{
    QString error;
    if (!writeFileAtomically(file, text.toUtf8(), &error)) {
        headlessSay(u"retrylab: "_s + error);
        return false;
    }
    return true;
}

} // namespace

int runStudyHeadless(const HeadlessOptions &o, const Scenario &scenario)
{
    const QString field = o.sweepField.isEmpty() ? u"clients"_s : o.sweepField;
    const QString valuesText = o.sweepField.isEmpty() ? o.gridClients : o.sweepValues;
    QString error;
    const auto values = parseStudyValues(valuesText, &error);
    if (!values) {
        headlessSay(u"retrylab: %1: %2"_s.arg(
            o.sweepField.isEmpty() ? u"--grid-clients"_s : u"--sweep-values"_s, error));
        return 2;
    }
    if (!scenario.builtinServer) {
        headlessSay(u"retrylab: %1: a study runs against the built-in server's model"_s.arg(
            o.scenarioFile));
        return 2;
    }
    QStringList strategies;
    for (const QString &part : o.gridStrategies.split(u',', Qt::SkipEmptyParts))
        strategies << part.trimmed();
    if (strategies.isEmpty())
        strategies = {u"exponential"_s, u"full-jitter"_s, u"equal-jitter"_s,
                      u"decorrelated-jitter"_s};
    const auto cells = studyCells(scenario, field, *values, strategies, &error);
    if (!cells) {
        headlessSay(u"retrylab: "_s + error);
        return 2;
    }
#ifdef Q_OS_UNIX
    const bool terminal = ::isatty(2);
#else
    const bool terminal = false;
#endif
    StudyOptions options;
    options.trials = o.trials;
    options.jobs = o.jobs;
    int finished = 0;
    options.cellDone = [&](int, const GridCell &) {
        if (terminal)
            std::fprintf(stderr, "\r%d of %lld cells", ++finished, qint64(cells->size()));
    };
    QElapsedTimer clock;
    clock.start();
    const QList<GridCell> result = runStudy(*cells, options);
    if (terminal)
        std::fputs("\n", stderr);
    headlessSay(u"retrylab: %1 cells × %2 trials in %3 s"_s.arg(cells->size())
                    .arg(o.trials)
                    .arg(clock.elapsed() / 1000.0, 0, 'f', 2));
    std::printf("%s\n", qUtf8Printable(gridTable(result)));
    if (!o.summaryFile.isEmpty() &&
        !writeJsonFile(o.summaryFile, QJsonDocument(gridJson(result)), &error)) {
        headlessSay(u"retrylab: "_s + error);
        return 2;
    }
    if (!o.csvFile.isEmpty() && !writeText(o.csvFile, gridCsv(result)))
        return 2;
    return 0;
}

} // namespace retrylab
