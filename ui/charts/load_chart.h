// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chart_panel.h"

class QAreaSeries;
class QLineSeries;
class QValueAxis;
class QXYSeries;

namespace retrylab {

class LoadSeries;

// Requests per 100 ms, first attempts and retries stacked, with the server's capacity: where a
// thundering herd shows up, and where jitter spreads it out.
class LoadChart : public ChartPanel
{
    Q_OBJECT
public:
    explicit LoadChart(QWidget *parent = nullptr);
    void refresh(const RunAnalysis *analysis) override;

    enum class Part { First, FirstAndRetries, Total = FirstAndRetries };
    // Step-shaped points of one part, at most about `maxPoints` of them: past that, buckets
    // are merged keeping each group's busiest bucket, so peaks never flatten.
    static QList<QPointF> steps(const LoadSeries &load, Part part, int maxPoints = 3000);

    // For comparison tiles: a heading naming the policy, and one time range shared by all.
    void setHeading(const QString &heading) { m_heading = heading; }
    void setCommonEnd(double seconds) { m_commonEnd = seconds; }

    // What is drawn, as data (for tests and exports): step points of each line.
    QList<QPointF> firstPoints() const;
    QList<QPointF> totalPoints() const;

private:
    QChart *m_chart = nullptr;
    QLineSeries *m_first = nullptr;
    QLineSeries *m_total = nullptr;
    QLineSeries *m_zero = nullptr;
    QLineSeries *m_capacity = nullptr;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    QString m_heading;
    double m_commonEnd = 0;
};

} // namespace retrylab
