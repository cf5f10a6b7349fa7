// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chart_panel.h"

class QLineSeries;
class QValueAxis;

namespace retrylab {

class DuplicateSeries;

// Duplicate charges over time, from the built-in server's ledger: bars of the charges that
// were a second effect of the same payment, over the requests that arrived in each slot, and
// the running total on the right. When there are none it says why: every retry carried a
// key, nothing was retried, or the server could not tell.
class DuplicatesChart : public ChartPanel
{
    Q_OBJECT
public:
    explicit DuplicatesChart(QWidget *parent = nullptr);
    void refresh(const RunAnalysis *analysis) override;
    void setSummary(const RunSummary &summary) override;

    // What is drawn, as numbers (for tests): the bars' sum, the running total's last point.
    qint64 barsTotal() const { return m_barsTotal; }
    qint64 lastCumulative() const;

private:
    QString whyEmpty(const RunAnalysis *analysis, const DuplicateSeries *series) const;

    QChart *m_chart = nullptr;
    QLineSeries *m_requests = nullptr;
    QLineSeries *m_duplicates = nullptr;
    QLineSeries *m_zero = nullptr;
    QLineSeries *m_cumulative = nullptr;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    QValueAxis *m_total = nullptr;
    qint64 m_barsTotal = 0;
    qint64 m_ledgerDuplicates = -1; // the finished run's count from the server (-1: unknown)
    bool m_finished = false;
};

} // namespace retrylab
