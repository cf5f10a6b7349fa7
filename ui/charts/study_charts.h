// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/contention_grid.h"

#include <QMap>
#include <QSet>
#include <QWidget>

#include <vector>

class QChart;
class QChartView;
class QLineSeries;
class QAreaSeries;
class QValueAxis;

namespace retrylab {

// A study's pictures, as the AWS Architecture Blog drew them: calls and completion time
// against the swept value, one line per strategy with its p10–p90 band; the mean per-client
// latency; and the writes per 10 ms of one chosen cell (the "clusters"). Cells arrive one at
// a time while the study runs; each is drawn where it belongs.
class StudyCharts : public QWidget
{
    Q_OBJECT
public:
    enum class Plot { Calls, Completion, Latency, Clusters };

    explicit StudyCharts(QWidget *parent = nullptr);

    // Empties every plot; the x axes say what is swept.
    void clear(const QString &fieldTitle);
    void addCell(const GridCell &cell);
    const QList<GridCell> &cells() const { return m_cells; }
    // Writes per 10 ms of one trial of one cell.
    void setClusters(const QString &title, const std::vector<qint64> &writeTimesUs);

    // What a plot shows of one strategy: its means, and the band's low or high edge.
    QList<QPointF> points(Plot plot, const QString &strategy) const;
    QList<QPointF> band(Plot plot, const QString &strategy, bool high) const;
    QWidget *picture(Plot plot) const;
    // Hides a strategy on one plot, as a click on it in the legend does.
    void hide(Plot plot, const QString &strategy);
    bool isShown(Plot plot, const QString &strategy) const;
    // Every plot as PNG and SVG, and the cells as CSV, into `dir`; the files written.
    QStringList exportTo(const QString &dir, QString *error);

private:
    struct Lines {
        QLineSeries *mean = nullptr;
        QLineSeries *low = nullptr;
        QLineSeries *high = nullptr;
        QAreaSeries *band = nullptr;
    };
    struct Chart {
        QChart *chart = nullptr;
        QChartView *view = nullptr;
        QValueAxis *x = nullptr;
        QValueAxis *y = nullptr;
        QMap<QString, Lines> lines;
        QSet<QString> hidden; // strategies switched off by a click on the legend
    };

    Chart makeChart(const QString &title, const QString &y);
    Lines &linesFor(Chart &chart, Plot plot, const QString &strategy);
    void redraw(Chart &chart, Plot plot, const QString &strategy);
    // The axes fitted to the strategies shown.
    void fitRange(Chart &chart, Plot plot);
    // A click on a strategy in the legend hides or shows its line and band, as the blog left
    // the slowest strategy off its time chart to compare the others.
    void toggle(Chart &chart, Plot plot, const QString &strategy);
    QColor colourOf(const QString &strategy);

    Chart m_calls, m_completion, m_latency, m_clusters;
    QLineSeries *m_clusterLine = nullptr;
    QList<GridCell> m_cells;
    QStringList m_strategies; // in the order they first appeared: stable colours
    QString m_field;
};

} // namespace retrylab
