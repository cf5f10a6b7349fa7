// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark for the notes, not a test: how long the charts take to read new records and redraw
// with a large log, on this machine.
//   bench_charts [--all-lanes-only] [--slow-ms N] [--tab I] [attempts]   (default 100000;
//   QT_QPA_PLATFORM=offscreen)
// It fills a log from a simulated run, then feeds it to the charts the way a live run does, in
// batches of 2,000 records per frame, and times each frame's read + redraw (the chart painted
// into an image kept across frames, as into a window's backing store); then times a full
// redraw of each chart with every record in. --tab I times one tab only. Every tab of
// the charts view is timed, whatever tabs it has. Last, the timeline zoomed out to every lane
// at once: the zoom itself (the axes lay out their ticks) and the paint, as a person sees it.
// --all-lanes-only reads the whole log at once and times only that last view.
#include "analysis/run_analysis.h"
#include "charts/chart_panel.h"
#include "charts/charts_view.h"
#include "charts/timeline_chart.h"
#include "charts/timeline_item.h"
#include "engine/run_engine.h"
#include "engine/virtual_scheduler.h"
#include "transport/simulated_transport.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QImage>
#include <QStringList>
#include <QTabWidget>

#include <algorithm>
#include <cstdio>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

Scenario scenario(int clients)
{
    Scenario s;
    s.simulated = true;
    s.clients = clients;
    s.operationsPerClient = 1'000'000;
    s.profile = *FaultProfile::ready(u"flaky-503"_s);
    s.policy.retry.retryAfterMode = RetryAfterMode::Honour;
    s.seed = 3;
    return s;
}

// Paints a widget into one image kept from frame to frame, as a window's backing store is:
// QWidget::grab() would allocate (and page-fault) a new 4 MB pixmap every frame.
void paint(QWidget *w)
{
    static QImage target;
    const qreal dpr = w->devicePixelRatioF();
    const QSize size = w->size() * dpr;
    if (target.size() != size) {
        target = QImage(size, QImage::Format_ARGB32_Premultiplied);
        target.setDevicePixelRatio(dpr);
    }
    w->render(&target);
}

struct Stats {
    std::vector<double> ms;
    QStringList slow; // each frame over --slow-ms: the records in, its read and its paint
    double max() const { return ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()); }
    double p(double q) const
    {
        if (ms.empty())
            return 0;
        std::vector<double> v = ms;
        std::sort(v.begin(), v.end());
        return v[std::min(v.size() - 1, std::size_t(q * double(v.size())))];
    }
};

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser args;
    args.setApplicationDescription(u"Times the charts' live frames and redraws."_s);
    args.addHelpOption();
    const QCommandLineOption allLanesOnly(u"all-lanes-only"_s,
                                          u"Time only the timeline showing every lane."_s);
    args.addOption(allLanesOnly);
    const QCommandLineOption slowMs(u"slow-ms"_s, u"List the frames slower than this (33)."_s,
                                    u"ms"_s, u"33"_s);
    args.addOption(slowMs);
    const QCommandLineOption onlyTab(u"tab"_s, u"Time only this tab (0 = the first)."_s,
                                     u"index"_s);
    args.addOption(onlyTab);
    args.addPositionalArgument(u"attempts"_s, u"Attempts in the log (default 100000)."_s);
    args.process(app);
    bool ok = true;
    const std::size_t target =
        args.positionalArguments().isEmpty() ? 100'000 : args.positionalArguments()[0].toULong(&ok);
    if (!ok || target == 0)
        args.showHelp(2);
    // A full log from a simulated run, stopped once it holds `target` attempts.
    const Scenario s = scenario(200);
    VirtualScheduler scheduler;
    AttemptLog full;
    SimulatedTransport transport(scheduler, s.profile, s.seed, NetworkDelay::fixed(1));
    RunEngine engine(s, scheduler, transport, full);
    engine.start();
    while (full.size() < target && scheduler.runSome(10'000) > 0) {
    }
    engine.stop();
    scheduler.run();
    auto breakers = full.breakerRecords();
    std::printf("log: %zu attempts, %zu breaker transitions\n", full.size(), breakers.size());

    ChartsView view;
    view.resize(1280, 800);
    view.show();
    QCoreApplication::processEvents();
    for (int tab = 0; tab < view.tabs()->count() && !args.isSet(allLanesOnly); ++tab) {
        if (args.isSet(onlyTab) && args.value(onlyTab).toInt() != tab)
            continue;
        auto live = std::make_shared<AttemptLog>();
        view.setRun(live, s);
        view.tabs()->setCurrentIndex(tab);
        auto *panel = static_cast<ChartPanel *>(view.tabs()->currentWidget());
        // The tab as it shows before the run's first records (its first layout is not a frame).
        QCoreApplication::processEvents();
        paint(panel->picture());
        Stats frames;
        std::size_t next = 0;
        std::size_t nextBreaker = 0;
        const std::size_t batch = 2000;
        while (next < full.size()) {
            const std::size_t end = std::min(full.size(), next + batch);
            for (std::size_t i = next; i < end; ++i)
                live->append(full.at(i));
            next = end;
            while (nextBreaker < breakers.size() &&
                   breakers[nextBreaker].atUs <= live->at(next - 1).startedUs)
                live->appendBreaker(breakers[nextBreaker++]);
            QElapsedTimer t;
            t.start();
            view.refreshNow();
            const double readMs = double(t.nsecsElapsed()) / 1e6;
            paint(panel->picture()); // paints the chart as the screen would
            frames.ms.push_back(double(t.nsecsElapsed()) / 1e6);
            if (frames.ms.back() > args.value(slowMs).toDouble())
                frames.slow.push_back(u"%1 (read %2 ms, paint %3 ms)"_s.arg(live->size())
                                          .arg(readMs, 0, 'f', 1)
                                          .arg(frames.ms.back() - readMs, 0, 'f', 1));
        }
        QElapsedTimer t;
        t.start();
        panel->refresh(view.analysis());
        paint(panel->picture());
        const double redraw = double(t.nsecsElapsed()) / 1e6;
        std::printf("%-24s live frames: %zu, p50 %.1f ms, p95 %.1f ms, max %.1f ms; full redraw "
                    "at %zu attempts: %.1f ms\n",
                    qPrintable(panel->title()), frames.ms.size(), frames.p(0.5), frames.p(0.95),
                    frames.max(), live->size(), redraw);
        if (!frames.slow.empty())
            std::printf("  frames over %s ms, at records: %s\n", qPrintable(args.value(slowMs)),
                        qPrintable(frames.slow.join(u", "_s)));
    }
    if (args.isSet(allLanesOnly)) {
        auto live = std::make_shared<AttemptLog>();
        for (std::size_t i = 0; i < full.size(); ++i)
            live->append(full.at(i));
        for (const BreakerRecord &b : breakers)
            live->appendBreaker(b);
        QElapsedTimer read;
        read.start();
        view.setRun(live, s); // reads the whole log into the analysis
        std::printf("analysis read of all %zu records: %.1f ms\n", live->size(),
                    double(read.nsecsElapsed()) / 1e6);
    }
    // The timeline's worst case: every lane at once (each row merges many lanes).
    view.tabs()->setCurrentWidget(view.timeline());
    paint(view.timeline()->picture()); // the newest lanes, as a live run shows them
    const int lanes = view.analysis()->timeline().lanes();
    QElapsedTimer t;
    t.start();
    view.timeline()->setLaneRange(0, lanes);
    const double zoom = double(t.nsecsElapsed()) / 1e6;
    paint(view.timeline()->picture());
    const double total = double(t.nsecsElapsed()) / 1e6;
    std::printf("Attempt timeline, all %d lanes in one view: %.1f ms (zoom %.1f ms, paint %.1f "
                "ms; %d lanes a row)\n",
                lanes, total, zoom, total - zoom, view.timeline()->item()->lanesPerRow());
    return 0;
}
