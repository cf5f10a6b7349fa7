// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/contention_grid.h"

#include <QMap>
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
    // Every plot as PNG and SVG, and the cells as CSV, into `dir`; the files written.
    QStringList exportTo(const QString &dir, QString *error);

private:
    struct Lines {
        QLineSeries *mean = nullptr;
        QLineSeries *low = nullptr;
        QLineSeries *high = nullptr;
    };
    struct Chart {
        QChart *chart = nullptr;
        QChartView *view = nullptr;
        QValueAxis *x = nullptr;
        QValueAxis *y = nullptr;
        QMap<QString, Lines> lines;
    };

    Chart makeChart(const QString &title, const QString &y);
    Lines &linesFor(Chart &chart, const QString &strategy, bool banded);
    void redraw(Chart &chart, Plot plot, const QString &strategy);
    QColor colourOf(const QString &strategy);

    Chart m_calls, m_completion, m_latency, m_clusters;
    QLineSeries *m_clusterLine = nullptr;
    QList<GridCell> m_cells;
    QStringList m_strategies; // in the order they first appeared: stable colours
    QString m_field;
};

} // namespace retrylab
