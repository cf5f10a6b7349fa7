// SPDX-License-Identifier: GPL-3.0-or-later
#include "chart_pictures.h"

#include "base/atomic_file.h"
#include "charts/chart_panel.h"
#include "charts/charts_view.h"

#include <QCoreApplication>
#include <QDir>
#include <QTabWidget>

using namespace Qt::StringLiterals;

namespace retrylab {

void forEachChart(const AttemptLog &log, const Scenario &scenario, const RunSummary &summary,
                  const std::function<void(ChartPanel *)> &draw)
{
    ChartsView view;
    view.resize(960, 560); // never shown: rendering lays it out
    // The log outlives this function; the view only borrows it.
    view.setRun(std::shared_ptr<const AttemptLog>(std::shared_ptr<void>(), &log), scenario);
    view.setSummary(summary);
    for (ChartPanel *panel : view.panels()) {
        view.tabs()->setCurrentWidget(panel);
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        draw(panel);
    }
}

QStringList writeChartPictures(const AttemptLog &log, const Scenario &scenario,
                               const RunSummary &summary, const QString &dir, QString *error)
{
    if (!QDir().mkpath(dir)) {
        *error = u"%1: cannot make this folder"_s.arg(dir);
        return {};
    }
    QStringList written;
    int n = 0;
    bool ok = true;
    forEachChart(log, scenario, summary, [&](ChartPanel *panel) {
        const QString base = QDir(dir).filePath(
            u"%1-%2"_s.arg(++n, 2, 10, QLatin1Char('0')).arg(slugFromTitle(panel->title())));
        for (const QString &suffix : {u".png"_s, u".svg"_s}) {
            if (ok && panel->exportImage(base + suffix, error))
                written << base + suffix;
            else
                ok = false;
        }
    });
    return ok ? written : QStringList();
}

} // namespace retrylab
