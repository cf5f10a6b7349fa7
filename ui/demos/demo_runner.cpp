// SPDX-License-Identifier: GPL-3.0-or-later
#include "demo_runner.h"

#include "analysis/run_analysis.h"
#include "charts/breaker_chart.h"
#include "charts/charts_view.h"
#include "charts/comparison_tiles.h"
#include "charts/comparison_view.h"
#include "charts/duplicates_chart.h"
#include "log/attempt_filter_model.h"
#include "log/attempt_log_view.h"
#include "main_window.h"
#include "run/run_controller.h"

#include <QAction>
#include <QMenu>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
const QString kHerd = u":/scenarios/thundering-herd.json"_s;
const QString kWithKeys = u":/scenarios/duplicate-charges-with-keys.json"_s;
const QString kWithoutKeys = u":/scenarios/duplicate-charges-without-keys.json"_s;
const QString kBreaker = u":/scenarios/breaker-trip-and-recovery.json"_s;
const QString kRetryAfter = u":/scenarios/retry-after-obeyed-vs-ignored.json"_s;

QString seconds(qint64 us)
{
    return QString::number(double(us) / 1e6, 'f', 1);
}
} // namespace

QList<DemoRunner::Info> DemoRunner::all()
{
    return {
        {Demo::ThunderingHerd, u"herd"_s, tr("Thundering herd"),
         tr("100 clients fail at once: without jitter their retries come back in synchronized "
            "spikes; with jitter the same retries spread out")},
        {Demo::DuplicateCharges, u"duplicates"_s, tr("Duplicate charges"),
         tr("A payments server that loses 20% of its responses after charging: retried without "
            "an idempotency key, customers pay twice; with a key, never")},
        {Demo::BreakerTrip, u"breaker"_s, tr("Breaker trip && recovery"),
         tr("A 10 s outage: the circuit breaker opens, stops sending, probes, and closes again "
            "when the server is back")},
        {Demo::RetryAfter, u"retryAfter"_s, tr("Retry-After obeyed vs ignored"),
         tr("A rate-limited server says when to come back: one client listens, the other "
            "retries early and is refused again")},
    };
}

DemoRunner::DemoRunner(MainWindow *window)
    : QObject(window)
    , m_window(window)
{
    connect(window, &MainWindow::runShown, this, &DemoRunner::runFinished);
    connect(window->comparison(), &ComparisonView::finished, this, &DemoRunner::comparisonFinished);
}

void DemoRunner::addTo(QMenu *menu, QToolBar *bar)
{
    for (const Info &info : all()) {
        auto *a = new QAction(info.title, this);
        a->setObjectName(u"demo-"_s + info.id);
        a->setToolTip(info.tip + tr(" (simulated time: one click, the same numbers every run)"));
        a->setStatusTip(info.tip);
        const Demo demo = info.demo;
        connect(a, &QAction::triggered, this, [this, demo] { start(demo); });
        menu->addAction(a);
        bar->addAction(a);
    }
    menu->setToolTipsVisible(true);
}

void DemoRunner::start(Demo demo)
{
    if (m_running || m_window->runController()->isRunning() || m_window->comparison()->isRunning())
        return;
    const QList<Info> demos = all();
    const auto info = std::find_if(demos.cbegin(), demos.cend(),
                                   [demo](const Info &i) { return i.demo == demo; });
    m_demo = demo;
    m_summaries.clear();
    m_headline.clear();
    ComparisonView *compare = m_window->comparison();
    switch (demo) {
    case Demo::ThunderingHerd:
    case Demo::RetryAfter:
        if (!open(demo == Demo::ThunderingHerd ? kHerd : kRetryAfter))
            return;
        m_running = true;
        Q_EMIT started(info->title, info->tip);
        compare->setChartKind(
            int(demo == Demo::ThunderingHerd ? ChartKind::ServerLoad : ChartKind::Compliance));
        compare->setTiled(demo == Demo::RetryAfter);
        m_window->pages()->setCurrentWidget(compare);
        compare->start();
        if (!compare->isRunning()) // it said why in its status line
            m_running = false;
        return;
    case Demo::DuplicateCharges:
        // With keys first, so the window ends on the run that shows the problem.
        m_running = true;
        Q_EMIT started(info->title, info->tip);
        startSingleRun(kWithKeys);
        return;
    case Demo::BreakerTrip:
        m_running = true;
        Q_EMIT started(info->title, info->tip);
        startSingleRun(kBreaker);
        return;
    }
}

bool DemoRunner::open(const QString &path)
{
    QString error;
    auto s = Scenario::load(path, &error);
    if (!s) // only a broken build gets here: the ready scenarios are tested
        return false;
    s->simulated = true; // deterministic and fast, whatever clock the file names
    m_window->showScenario(*s);
    return true;
}

void DemoRunner::startSingleRun(const QString &scenario)
{
    if (!open(scenario)) {
        m_running = false;
        return;
    }
    // The story's chart: the breaker's states, or the duplicate charges over time.
    ChartsView *charts = m_window->charts();
    m_window->pages()->setCurrentWidget(charts);
    if (m_demo == Demo::BreakerTrip)
        charts->tabs()->setCurrentWidget(charts->breakers());
    else
        charts->tabs()->setCurrentWidget(charts->duplicates());
    m_window->runAction()->trigger();
    if (!m_window->runController()->isRunning())
        m_running = false;
}

void DemoRunner::runFinished(const RunSummary &summary)
{
    if (!m_running)
        return;
    m_summaries.append(summary);
    if (m_demo == Demo::BreakerTrip) {
        finish(breakerHeadline(summary));
        return;
    }
    if (m_demo != Demo::DuplicateCharges)
        return;
    if (m_summaries.size() == 1) {
        // The run is still unwinding in this signal: start the second from the event loop.
        QTimer::singleShot(0, this, [this] { startSingleRun(kWithoutKeys); });
        return;
    }
    const RunSummary &with = m_summaries[0];
    const RunSummary &without = m_summaries[1];
    // The chart shows the ledger's duplicates over time; the Attempts page lists the retries
    // that charged again.
    m_window->attemptLog()->refresh();
    m_window->attemptLog()->showOnly(AttemptFilterModel::kPossibleDuplicates);
    finish(tr("Without idempotency keys: %1 duplicate charges in %2 payments (Attempts lists "
              "the retries that charged again). With a key per payment: %3 duplicate charges. "
              "Same lossy server, same seed.")
               .arg(std::max<qint64>(0, without.duplicates))
               .arg(without.operations)
               .arg(std::max<qint64>(0, with.duplicates)));
}

void DemoRunner::comparisonFinished()
{
    if (!m_running)
        return;
    const ComparisonView *compare = m_window->comparison();
    for (int i = 0; i < compare->runs(); ++i)
        m_summaries.append(compare->summary(i));
    finish(m_demo == Demo::ThunderingHerd ? herdHeadline() : retryAfterHeadline());
}

void DemoRunner::finish(const QString &headline)
{
    m_running = false;
    m_headline = headline;
    Q_EMIT finished(headline);
}

QString DemoRunner::herdHeadline() const
{
    const ComparisonView *compare = m_window->comparison();
    QStringList parts;
    for (int i = 0; i < compare->runs(); ++i)
        parts << tr("%1 %2").arg(compare->policyName(i),
                                 QString::number(compare->summary(i).amplification, 'f', 2));
    // Where the first policy's retries filled the server's capacity in one 100 ms after the
    // opening burst: the synchronized retries of a herd.
    QStringList spikes;
    if (compare->runs() > 0) {
        const RunAnalysis *a = compare->analysis(0);
        const LoadSeries &load = a->load();
        const double over = std::max(a->capacityPerBucket(), 5.0);
        bool inSpike = false;
        for (std::size_t b = 1; b < load.buckets(); ++b) {
            const bool high = double(load.total(b)) >= over;
            if (high && !inSpike)
                spikes << seconds(qint64(b) * load.bucketUs());
            inSpike = high;
        }
    }
    QString text = tr("Attempts per operation: %1.").arg(parts.join(u" · "_s));
    if (!spikes.isEmpty())
        text += u' ' + tr("Without jitter the retries return together, in spikes at %1 s; "
                          "with jitter they spread out.")
                           .arg(spikes.join(u", "_s));
    return text;
}

QString DemoRunner::retryAfterHeadline() const
{
    const ComparisonView *compare = m_window->comparison();
    QStringList parts;
    for (int i = 0; i < compare->runs(); ++i) {
        const RunSummary &s = compare->summary(i);
        parts << (s.retryAfterViolations == 0
                      // Judged per client: a request that follows a Retry-After, whether a
                      // retry or the client's next operation, must wait it out.
                      ? tr("%1: all %2 requests after a Retry-After waited as told")
                            .arg(compare->policyName(i))
                            .arg(s.retryAfterJudged)
                      : tr("%1: %2 of %3 requests after a Retry-After came back early (up to "
                           "%4 ms early), "
                           "%5 attempts for %6 operations")
                            .arg(compare->policyName(i))
                            .arg(s.retryAfterViolations)
                            .arg(s.retryAfterJudged)
                            .arg(QString::number(s.worstEarlyMs, 'f', 0))
                            .arg(s.attemptsSent)
                            .arg(s.operations));
    }
    return parts.join(u". "_s) + u'.';
}

QString DemoRunner::breakerHeadline(const RunSummary &s) const
{
    const RunAnalysis *a = m_window->charts()->analysis();
    qint64 firstOpen = -1;
    qint64 lastClose = -1;
    if (a)
        for (const BreakerRecord &r : a->breakers().transitions()) {
            if (r.transition.to == BreakerState::Open && firstOpen < 0)
                firstOpen = r.atUs;
            if (r.transition.to == BreakerState::Closed)
                lastClose = r.atUs;
        }
    QString text = tr("The server is down from 5 s to 15 s. ");
    if (firstOpen >= 0)
        text += tr("The breaker opened at %1 s and refused %2 calls without sending them")
                    .arg(seconds(firstOpen))
                    .arg(s.attemptsRefused);
    else
        text += tr("The breaker never opened");
    if (lastClose > firstOpen && firstOpen >= 0)
        text +=
            tr("; a probe found the server back and it closed at %1 s.").arg(seconds(lastClose));
    else
        text += u'.';
    return text;
}

} // namespace retrylab
