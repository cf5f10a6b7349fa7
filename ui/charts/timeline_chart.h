// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/timeline_lanes.h"
#include "chart_panel.h"

#include <QMap>
#include <QSet>

class QComboBox;
class QLabel;
class QLineSeries;
class QValueAxis;

namespace retrylab {

class TimelineItem;
enum class OutcomeCategory;

// The attempt timeline: one lane per operation or per client, time across. The wheel zooms
// in time (Ctrl+wheel: in lanes, Shift+wheel: scrolls lanes), dragging pans, a double click
// shows everything again; hovering an attempt shows its record.
class TimelineChart : public ChartPanel
{
    Q_OBJECT
public:
    explicit TimelineChart(QWidget *parent = nullptr);
    ~TimelineChart() override;
    void refresh(const RunAnalysis *analysis) override;

    TimelineItem *item() const { return m_item; }
    // What the view shows: seconds across, lanes down (the person's zoom and pan move them).
    QPair<double, double> timeRange() const;
    QPair<double, double> laneRange() const;
    void setTimeRange(double from, double to);
    void setLaneRange(double from, double to);
    void zoomTime(double factor, double aroundSeconds);
    void showAll();
    bool isFollowing() const { return m_follow; }
    Qt::Alignment legendAlignment() const;
    // The legend's entries a person sees, in order.
    QStringList legendEntries() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    static constexpr double kMinLanePx = 7; // the item draws waits from 5 px up
    void fitRanges();
    void updateTexts(); // the counts above the chart and the axes' titles
    TimelineLanes::By by() const;
    void showLegend(const QSet<OutcomeCategory> &categories); // rebuilds the chart's legend
    void showWaitsInLegend(bool shown);
    void fitLegend(); // below the plot when its entries fit the width, else beside it

    QChart *m_chart = nullptr;
    QChartView *m_view = nullptr;
    TimelineItem *m_item = nullptr;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    QComboBox *m_by = nullptr;
    QLabel *m_counts = nullptr;
    QMap<OutcomeCategory, QLineSeries *> m_legend;
    QList<QLineSeries *> m_waitLegend;
    bool m_waitsInLegend = true; // the legend names the waits only where they are drawn
    QSet<OutcomeCategory> m_shownCategories;
    bool m_follow = true; // the view shows the whole run until the person zooms or pans
    QPointF m_dragFrom;
};

} // namespace retrylab
