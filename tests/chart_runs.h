// SPDX-License-Identifier: GPL-3.0-or-later
// The runs and views that the chart tests share: tst_charts (every chart) and tst_timeline_chart.
#pragma once

#include "analysis/run_analysis.h"
#include "charts/breaker_chart.h"
#include "charts/charts_view.h"
#include "charts/compliance_chart.h"
#include "charts/jitter_chart.h"
#include "charts/load_chart.h"
#include "charts/timeline_chart.h"
#include "charts/timeline_item.h"
#include "gui_test_utils.h"
#include "run/run_controller.h"

#include <QApplication>
#include <QComboBox>
#include <QHelpEvent>
#include <QImage>
#include <QLocale>
#include <QPainter>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTabWidget>
#include <QTest>
#include <QXmlStreamReader>

namespace retrylab::chart_runs {

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

inline Scenario flaky()
{
    Scenario s;
    s.name = u"charts"_s;
    s.simulated = true;
    s.clients = 20;
    s.operationsPerClient = 20;
    s.profile = *FaultProfile::ready(u"flaky-503"_s);
    s.seed = 5;
    return s;
}

inline Scenario outage()
{
    Scenario s = flaky();
    s.profile = *FaultProfile::ready(u"outage"_s);
    s.arrivalRatePerSecond = 20;
    s.duration = 20s;
    s.policy.retry.retryAfterMode = RetryAfterMode::Ignore;
    s.policy.breaker.consecutiveFailures = 3;
    s.policy.breaker.openDuration = 1s;
    s.sharedBreaker = true;
    return s;
}

struct Run {
    RunController controller;
    RunSummary summary;
    bool ran(const Scenario &s)
    {
        QSignalSpy done(&controller, &RunController::runFinished);
        controller.start(s);
        if (!done.wait(60000))
            return false;
        summary = done.takeFirst().at(0).value<RunSummary>();
        return true;
    }
};

// A charts view of a finished run, showing its timeline.
struct ShownTimeline {
    ChartsView view;
    TimelineChart *chart = view.timeline();
    ShownTimeline(const Run &run, const Scenario &s, QSize size = {1200, 760})
    {
        view.resize(size);
        view.show();
        view.setRun(run.controller.log(), s);
        view.setSummary(run.summary);
        view.tabs()->setCurrentWidget(chart);
    }
};

inline double sumOfSteps(const QList<QPointF> &p)
{
    // Step series hold two points per bucket; each bucket's value counts once.
    double sum = 0;
    for (qsizetype i = 0; i + 1 < p.size(); i += 2)
        sum += p[i].y();
    return sum;
}

} // namespace retrylab::chart_runs
