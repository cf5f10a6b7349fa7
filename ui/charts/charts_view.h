// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/attempt_log.h"
#include "policy/retry_policy.h"
#include "scenario/scenario.h"

#include <QWidget>

#include <memory>

class QTabWidget;
class QTimer;

namespace retrylab {

class BreakerChart;
class ChartPanel;
class ComplianceChart;
class DuplicatesChart;
class JitterChart;
class LoadChart;
class RunAnalysis;
class TimelineChart;
struct RunSummary;

// The six live charts of a run, as tabs. A steady timer (5 frames a second) reads what the
// log gained into the core's RunAnalysis and redraws the visible chart only, whatever the
// attempt rate.
class ChartsView : public QWidget
{
    Q_OBJECT
public:
    explicit ChartsView(QWidget *parent = nullptr);
    ~ChartsView() override;

    void setRun(std::shared_ptr<const AttemptLog> log, const Scenario &scenario);
    void setSummary(const RunSummary &summary); // the run ended
    void setPreviewPolicy(const RetryPolicy &policy);
    void setLive(bool live); // redraw at the steady rate while a run goes on
    void refreshNow();       // read and redraw the visible chart now

    const RunAnalysis *analysis() const { return m_analysis.get(); }
    QList<ChartPanel *> panels() const { return m_panels; }
    TimelineChart *timeline() const { return m_timeline; }
    JitterChart *jitter() const { return m_jitter; }
    BreakerChart *breakers() const { return m_breakers; }
    ComplianceChart *compliance() const { return m_compliance; }
    LoadChart *load() const { return m_load; }
    DuplicatesChart *duplicates() const { return m_duplicates; }
    QTabWidget *tabs() const { return m_tabs; }
    // Redraw time of the last refresh, for the benchmark.
    qint64 lastRefreshMicros() const { return m_lastRefreshUs; }

private:
    QTabWidget *m_tabs = nullptr;
    QTimer *m_timer = nullptr;
    std::unique_ptr<RunAnalysis> m_analysis;
    QList<ChartPanel *> m_panels;
    TimelineChart *m_timeline = nullptr;
    JitterChart *m_jitter = nullptr;
    BreakerChart *m_breakers = nullptr;
    ComplianceChart *m_compliance = nullptr;
    LoadChart *m_load = nullptr;
    DuplicatesChart *m_duplicates = nullptr;
    qint64 m_lastRefreshUs = 0;
};

} // namespace retrylab
