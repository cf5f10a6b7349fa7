// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chart_panel.h"

class QComboBox;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
class QCategoryAxis;

namespace retrylab {
class PlotAreaAligner;
}

namespace retrylab {

// One breaker's state over time as a step chart (closed, half-open, open, forced open), each
// transition marked and explained on hover by the numbers that caused it; underneath, the
// failure rate of the calls it let through and the calls it rejected, per 100 ms.
class BreakerChart : public ChartPanel
{
    Q_OBJECT
public:
    explicit BreakerChart(QWidget *parent = nullptr);
    void refresh(const RunAnalysis *analysis) override;

    int statePoints() const;     // points of the step line
    int transitionMarks() const; // one per transition of the shown breaker
    QList<QPointF> rejectedPoints() const;
    // The plot areas of the state chart and of the call chart, in their views' coordinates.
    QPair<QRectF, QRectF> plotAreas() const;
    QComboBox *breakerChoice() const { return m_breaker; }
    // The explanation of the transition at mark `index`, as hovering shows it.
    QString explain(int index) const;

private:
    void buildStateChart();
    void buildCallChart();

    QChart *m_stateChart = nullptr;
    QChart *m_callChart = nullptr;
    QComboBox *m_breaker = nullptr;
    QLabel *m_summary = nullptr;
    QLineSeries *m_state = nullptr;
    QScatterSeries *m_marks = nullptr;
    QLineSeries *m_rate = nullptr;
    QLineSeries *m_rejected = nullptr;
    QValueAxis *m_x = nullptr;
    QCategoryAxis *m_y = nullptr;
    QValueAxis *m_callX = nullptr;
    QValueAxis *m_rateY = nullptr;
    QValueAxis *m_rejectedY = nullptr;
    PlotAreaAligner *m_aligner = nullptr;
    QList<int> m_markTransitions; // mark index → transition index
};

} // namespace retrylab
