// SPDX-License-Identifier: GPL-3.0-or-later
#include "charts_view.h"

#include "analysis/run_analysis.h"
#include "breaker_chart.h"
#include "compliance_chart.h"
#include "duplicates_chart.h"
#include "jitter_chart.h"
#include "load_chart.h"
#include "log/run_summary.h"
#include "timeline_chart.h"

#include <QElapsedTimer>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace retrylab {

ChartsView::ChartsView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(u"chartTabs"_s);
    m_tabs->setDocumentMode(true);
    layout->addWidget(m_tabs);
    m_timeline = new TimelineChart;
    m_jitter = new JitterChart;
    m_breakers = new BreakerChart;
    m_compliance = new ComplianceChart;
    m_load = new LoadChart;
    m_duplicates = new DuplicatesChart;
    m_panels = {m_timeline, m_jitter, m_breakers, m_compliance, m_load, m_duplicates};
    for (ChartPanel *p : std::as_const(m_panels))
        m_tabs->addTab(p, p->title());
    m_timer = new QTimer(this);
    m_timer->setInterval(200);
    connect(m_timer, &QTimer::timeout, this, &ChartsView::refreshNow);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (auto *p = qobject_cast<ChartPanel *>(m_tabs->currentWidget()))
            p->refresh(m_analysis.get());
    });
}

ChartsView::~ChartsView() = default;

void ChartsView::setRun(std::shared_ptr<const AttemptLog> log, const Scenario &scenario)
{
    // The panels forget the old analysis before it goes.
    for (ChartPanel *p : std::as_const(m_panels))
        p->refresh(nullptr);
    m_analysis = std::make_unique<RunAnalysis>(std::move(log), scenario);
    m_jitter->setShowPreview(false);
    refreshNow();
}

void ChartsView::setSummary(const RunSummary &summary)
{
    refreshNow();
    for (ChartPanel *p : std::as_const(m_panels)) {
        p->refresh(m_analysis.get());
        p->setSummary(summary);
    }
}

void ChartsView::setPreviewPolicy(const RetryPolicy &policy)
{
    m_jitter->setPreviewPolicy(policy);
}

void ChartsView::setLive(bool live)
{
    live ? m_timer->start() : m_timer->stop();
}

void ChartsView::refreshNow()
{
    QElapsedTimer clock;
    clock.start();
    const bool changed = m_analysis && m_analysis->update();
    auto *current = qobject_cast<ChartPanel *>(m_tabs->currentWidget());
    if (current && (changed || !m_analysis))
        current->refresh(m_analysis.get());
    m_lastRefreshUs = clock.nsecsElapsed() / 1000;
}

} // namespace retrylab
