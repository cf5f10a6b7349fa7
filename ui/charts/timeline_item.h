// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/timeline_lanes.h"

#include <QGraphicsObject>

#include <optional>
#include <vector>

class QChart;
class QValueAxis;

namespace retrylab {

class RunAnalysis;

// Draws the attempt timeline inside a chart's plot area, in the chart's own axes: one row per
// lane, each attempt a bar coloured by outcome, each wait a thin line (dashed when Retry-After
// set it). Draws per pixel column rather than per attempt, so the cost is what the screen can
// show. Lanes that do not fit are merged into rows of 2, 5, 10 … lanes, the worst outcome on
// top; from 100 lanes a row, the rows come from the core's TimelineSummary rather than from
// every attempt, so a million lanes draw as fast as a thousand.
class TimelineItem : public QGraphicsObject
{
    Q_OBJECT
public:
    // How the view is drawn as the axes and the plot stand now.
    struct Layout {
        int lanesPerRow = 1;
        bool fromSummary = false; // rows drawn from TimelineSummary's time buckets
        qint64 stepUs = 0;        // those buckets' width when wider than a pixel (else 0)
        bool waits = false;       // the waits between attempts are drawn (a lane a row, 5 px+)
    };

    TimelineItem(QChart *chart, QValueAxis *x, QValueAxis *y);

    void setAnalysis(const RunAnalysis *analysis);
    void setBy(TimelineLanes::By by);
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override;

    Layout layout() const;
    int lanesPerRow() const { return layout().lanesPerRow; }
    // The record under a point in the plot area (or, where rows merge lanes, the row's lanes
    // and worst outcome there), as rich text; empty when there is nothing.
    QString describeAt(const QPointF &pos) const;

protected:
    void hoverMoveEvent(QGraphicsSceneHoverEvent *event) override;

private:
    // The view's geometry for one paint or one hover.
    struct Frame {
        const TimelineLanes *lanes = nullptr;
        QRectF plot;
        double x0 = 0, x1 = 0; // microseconds
        double y0 = 0, y1 = 0; // lanes
        int width = 0;
        double laneHeight = 0;
        double usPerPixel = 0;
        Layout layout;
        int pixel(double us) const; // the pixel column of a time, clamped to the plot
    };
    std::optional<Frame> frame() const;
    void paintBars(QPainter *painter, const Frame &f, int firstRow, int lastLane);
    void paintSummary(QPainter *painter, const Frame &f, int firstRow, int lastLane);
    void fillRow(QPainter *painter, const Frame &f, double top);

    QChart *m_chart;
    QValueAxis *m_x;
    QValueAxis *m_y;
    const RunAnalysis *m_analysis = nullptr;
    TimelineLanes::By m_by = TimelineLanes::By::Operation;
    std::vector<std::uint8_t> m_cells; // one row's pixels: 0 empty, else category + 1
};

} // namespace retrylab
