// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chart_panel.h"

class QLabel;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace retrylab {

// For every response that asked the client to wait: the wait asked for against the wait
// taken, with the line y = x; those that came back early in red. The compliance percentage
// from the client's log and from the server's journal side by side.
class ComplianceChart : public ChartPanel
{
    Q_OBJECT
public:
    explicit ComplianceChart(QWidget *parent = nullptr);
    void refresh(const RunAnalysis *analysis) override;
    void setSummary(const RunSummary &summary) override;

    int compliantPoints() const; // drawn (thinned to one per cell)
    int earlyPoints() const;     // drawn (every one, up to a cap)
    QString verdictText() const;

private:
    QChart *m_chart = nullptr;
    QScatterSeries *m_ok = nullptr;
    QScatterSeries *m_early = nullptr;
    QLineSeries *m_diagonal = nullptr;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    QLabel *m_verdict = nullptr;
    double m_serverPercent = -1;
    qint64 m_shownOk = 0;
    qint64 m_shownEarly = 0;
};

} // namespace retrylab
