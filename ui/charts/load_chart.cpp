// SPDX-License-Identifier: GPL-3.0-or-later
#include "load_chart.h"

#include "analysis/run_analysis.h"
#include "style/palette.h"

#include <QtCharts/QAreaSeries>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

LoadChart::LoadChart(QWidget *parent)
    : ChartPanel(tr("Server load"), parent)
{
    m_chart = new QChart;
    m_chart->setTitle(tr("Server load"));
    m_first = new QLineSeries(this);
    m_total = new QLineSeries(this);
    m_zero = new QLineSeries(this);
    auto *firstArea = new QAreaSeries(m_first, m_zero);
    firstArea->setName(tr("First attempts"));
    firstArea->setColor(palette::color(palette::Role::FirstAttempts));
    firstArea->setBorderColor(palette::color(palette::Role::FirstAttempts).darker(130));
    auto *retryArea = new QAreaSeries(m_total, m_first);
    retryArea->setName(tr("Retries"));
    retryArea->setColor(palette::color(palette::Role::Retries));
    // No border: the retries sit on the first attempts, and a border would outline every slot
    // in orange, retries or not.
    retryArea->setPen(Qt::NoPen);
    m_capacity = new QLineSeries;
    m_capacity->setName(tr("Capacity"));
    QPen pen(palette::color(palette::Role::Capacity));
    pen.setWidthF(2);
    pen.setStyle(Qt::DashLine);
    m_capacity->setPen(pen);
    m_chart->addSeries(firstArea);
    m_chart->addSeries(retryArea);
    m_chart->addSeries(m_capacity);
    std::tie(m_x, m_y) =
        addAxes(m_chart, tr("time since the run started (s)"), tr("requests / 100 ms"));
    setPicture(newChartView(m_chart));
    refresh(nullptr);
}

QList<QPointF> LoadChart::firstPoints() const
{
    return m_first->points();
}

QList<QPointF> LoadChart::totalPoints() const
{
    return m_total->points();
}

QList<QPointF> LoadChart::steps(const LoadSeries &load, Part part, int maxPoints)
{
    const std::size_t n = load.buckets();
    const std::size_t group = std::max<std::size_t>(1, (2 * n + maxPoints - 1) / maxPoints);
    const double width = double(load.bucketUs()) / 1e6;
    QList<QPointF> points;
    points.reserve(qsizetype(2 * (n / group + 1)));
    for (std::size_t i = 0; i < n; i += group) {
        // The busiest bucket of the group stands for it.
        std::size_t best = i;
        for (std::size_t j = i; j < std::min(n, i + group); ++j)
            if (load.total(j) > load.total(best))
                best = j;
        const double v = double(part == Part::First ? load.first(best) : load.total(best));
        points.append({double(i) * width, v});
        points.append({double(std::min(n, i + group)) * width, v});
    }
    return points;
}

void LoadChart::refresh(const RunAnalysis *analysis)
{
    remember(analysis);
    if (!analysis) {
        m_first->clear();
        m_total->clear();
        m_zero->clear();
        m_capacity->clear();
        m_x->setRange(0, 10);
        m_y->setRange(0, 10);
        return;
    }
    const LoadSeries &load = analysis->load();
    const QList<QPointF> first = steps(load, Part::First);
    const QList<QPointF> total = steps(load, Part::Total);
    QList<QPointF> zero;
    zero.reserve(first.size());
    for (const QPointF &p : first)
        zero.append({p.x(), 0});
    m_first->replace(first);
    m_total->replace(total);
    m_zero->replace(zero);
    const double end =
        std::max({1.0, m_commonEnd, double(load.buckets()) * double(load.bucketUs()) / 1e6});
    const double capacity = analysis->capacityPerBucket();
    if (capacity > 0)
        m_capacity->replace({{0, capacity}, {end, capacity}});
    else
        m_capacity->clear();
    m_capacity->setVisible(capacity > 0);
    setRoundRange(m_x, end);
    setCountRange(m_y, std::max({5.0, double(load.peak()) * 1.05, capacity * 1.1}));
    const QString what =
        load.source() == LoadSeries::Source::Arrived
            ? tr("requests that arrived at the built-in server (peak %1 in a 100 ms slot)")
                  .arg(load.peak())
            : tr("requests sent by the clients (peak %1 in a 100 ms slot)").arg(load.peak());
    m_chart->setTitle((m_heading.isEmpty() ? tr("Server load") : m_heading) + u": "_s + what);
}

} // namespace retrylab
