// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/timeline_lanes.h"

#include <QGraphicsObject>

class QChart;
class QValueAxis;

namespace retrylab {

class RunAnalysis;

// Draws the attempt timeline inside a chart's plot area, in the chart's own axes: one row per
// lane, each attempt a bar coloured by outcome, each wait a thin line (dashed when Retry-After
// set it). Draws per pixel column rather than per attempt, so 100,000 attempts cost what the
// screen can show; lanes that do not fit are merged into rows, worst outcome on top.
class TimelineItem : public QGraphicsObject
{
    Q_OBJECT
public:
    TimelineItem(QChart *chart, QValueAxis *x, QValueAxis *y);

    void setAnalysis(const RunAnalysis *analysis);
    void setBy(TimelineLanes::By by);
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override;

    // The record under a point in the plot area, as text; empty when there is none.
    QString describeAt(const QPointF &pos) const;
    int lanesPerRow() const { return m_lanesPerRow; }

protected:
    static QString describePhases(const AttemptRecord &r);
    QString describe(const AttemptRecord &record, const QString &lane) const;
    void hoverMoveEvent(QGraphicsSceneHoverEvent *event) override;

private:
    QChart *m_chart;
    QValueAxis *m_x;
    QValueAxis *m_y;
    const RunAnalysis *m_analysis = nullptr;
    TimelineLanes::By m_by = TimelineLanes::By::Operation;
    mutable int m_lanesPerRow = 1;
};

} // namespace retrylab
