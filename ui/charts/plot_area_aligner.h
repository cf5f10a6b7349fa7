// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMargins>
#include <QObject>
#include <QTimer>

class QChart;
class QChartView;

namespace retrylab {

// Keeps the plot areas of charts stacked one above the other at the same left and right edges,
// so that a moment in time sits at the same x in each. Qt Charts sizes a plot area from its own
// axis labels ("forced open" is wider than "100"), so two charts on one time axis drift apart.
// The aligner lets each chart lay itself out, then widens the margins of the charts whose plot
// areas reach further out, so that every plot area has the innermost edges; when a view is
// resized or the charts are refreshed (labels may change width) it measures again.
class PlotAreaAligner : public QObject
{
    Q_OBJECT
public:
    explicit PlotAreaAligner(QObject *parent = nullptr);
    void add(QChartView *view);
    // Call after changing what the charts show: axis labels may have changed width.
    void realign();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void pin();

    QList<QChart *> m_charts;
    QList<QMargins> m_margins; // each chart's own, restored before measuring again
    QTimer m_pinSoon;
    bool m_pinned = false;
};

} // namespace retrylab
