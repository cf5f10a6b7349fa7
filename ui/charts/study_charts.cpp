// SPDX-License-Identifier: GPL-3.0-or-later
#include "study_charts.h"

#include "base/atomic_file.h"
#include "chart_export.h"
#include "chart_panel.h"
#include "style/palette.h"

#include <QDir>
#include <QGridLayout>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

double valueOf(const GridCell &c, StudyCharts::Plot plot, int which)
{
    switch (plot) {
    case StudyCharts::Plot::Calls:
        return which < 0 ? c.p10Calls : which > 0 ? c.p90Calls : c.meanCalls;
    case StudyCharts::Plot::Completion:
        return which < 0 ? c.p10CompletionMs : which > 0 ? c.p90CompletionMs : c.meanCompletionMs;
    case StudyCharts::Plot::Latency:
    case StudyCharts::Plot::Clusters:
        break;
    }
    return c.meanClientLatencyMs;
}

} // namespace

StudyCharts::StudyCharts(QWidget *parent)
    : QWidget(parent)
{
    m_calls = makeChart(tr("Work: calls (conditional writes)"), tr("calls"));
    m_completion = makeChart(tr("Time: until the last client is done"), tr("ms"));
    m_latency = makeChart(tr("Mean per-client latency"), tr("ms"));
    m_clusters = makeChart(tr("Writes per 10 ms"), tr("writes"));
    m_clusterLine = new QLineSeries(this);
    m_clusterLine->setName(tr("writes"));
    m_clusters.chart->addSeries(m_clusterLine);
    m_clusterLine->attachAxis(m_clusters.x);
    m_clusterLine->attachAxis(m_clusters.y);
    m_clusters.x->setTitleText(tr("time (ms)"));
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_calls.view, 0, 0);
    grid->addWidget(m_completion.view, 0, 1);
    grid->addWidget(m_latency.view, 1, 0);
    grid->addWidget(m_clusters.view, 1, 1);
    clear(tr("clients"));
}

StudyCharts::Chart StudyCharts::makeChart(const QString &title, const QString &y)
{
    Chart c;
    c.chart = new QChart;
    c.chart->setTitle(title);
    c.view = ChartPanel::newChartView(c.chart);
    c.view->setMinimumSize(280, 150);
    std::tie(c.x, c.y) = ChartPanel::addAxes(c.chart, tr("clients"), y);
    return c;
}

void StudyCharts::clear(const QString &fieldTitle)
{
    m_field = fieldTitle;
    m_cells.clear();
    for (Chart *c : {&m_calls, &m_completion, &m_latency}) {
        for (const Lines &l : std::as_const(c->lines))
            for (QLineSeries *s : {l.mean, l.low, l.high})
                if (s)
                    s->clear();
        c->x->setTitleText(fieldTitle);
        c->x->setRange(0, 1);
        c->y->setRange(0, 1);
    }
    m_clusterLine->clear();
    for (Chart *c : {&m_calls, &m_completion, &m_latency})
        for (const QString &strategy : QSet<QString>(c->hidden))
            toggle(*c,
                   c == &m_calls        ? Plot::Calls
                   : c == &m_completion ? Plot::Completion
                                        : Plot::Latency,
                   strategy);
}

QColor StudyCharts::colourOf(const QString &strategy)
{
    if (!m_strategies.contains(strategy))
        m_strategies << strategy;
    // "none" is the baseline: the neutral grey; the others take the comparison colours.
    if (strategy == u"none"_s)
        return palette::color(palette::Role::Neutral);
    QStringList others = m_strategies;
    others.removeAll(u"none"_s);
    return palette::policy(int(others.indexOf(strategy)));
}

StudyCharts::Lines &StudyCharts::linesFor(Chart &chart, Plot plot, const QString &strategy)
{
    const bool banded = plot != Plot::Latency;
    auto it = chart.lines.find(strategy);
    if (it != chart.lines.end())
        return *it;
    Lines l;
    const QColor colour = colourOf(strategy);
    QAreaSeries *area = nullptr;
    if (banded) {
        l.low = new QLineSeries(this);
        l.high = new QLineSeries(this);
        area = l.band = new QAreaSeries(l.high, l.low);
        QColor fill = colour;
        fill.setAlphaF(0.18);
        area->setColor(fill);
        area->setBorderColor(Qt::transparent);
        chart.chart->addSeries(area);
        area->attachAxis(chart.x);
        area->attachAxis(chart.y);
    }
    l.mean = new QLineSeries(this);
    l.mean->setName(strategy);
    QPen pen(colour);
    pen.setWidthF(2);
    l.mean->setPen(pen);
    chart.chart->addSeries(l.mean);
    l.mean->attachAxis(chart.x);
    l.mean->attachAxis(chart.y);
    if (area) // the band has no legend entry of its own: the line names the strategy
        for (QLegendMarker *marker : chart.chart->legend()->markers(area))
            marker->setVisible(false);
    for (QLegendMarker *marker : chart.chart->legend()->markers(l.mean))
        connect(marker, &QLegendMarker::clicked, this,
                [this, &chart, plot, strategy] { toggle(chart, plot, strategy); });
    return *chart.lines.insert(strategy, l);
}

void StudyCharts::addCell(const GridCell &cell)
{
    m_cells << cell;
    redraw(m_calls, Plot::Calls, cell.strategy);
    redraw(m_completion, Plot::Completion, cell.strategy);
    redraw(m_latency, Plot::Latency, cell.strategy);
}

void StudyCharts::redraw(Chart &chart, Plot plot, const QString &strategy)
{
    const bool banded = plot != Plot::Latency;
    Lines &l = linesFor(chart, plot, strategy);
    QList<GridCell> mine;
    for (const GridCell &c : std::as_const(m_cells))
        if (c.strategy == strategy)
            mine << c;
    std::sort(mine.begin(), mine.end(),
              [](const GridCell &a, const GridCell &b) { return a.value < b.value; });
    QList<QPointF> mean, low, high;
    for (const GridCell &c : std::as_const(mine)) {
        mean << QPointF(c.value, valueOf(c, plot, 0));
        low << QPointF(c.value, valueOf(c, plot, -1));
        high << QPointF(c.value, valueOf(c, plot, 1));
    }
    l.mean->replace(mean);
    if (banded) {
        l.low->replace(low);
        l.high->replace(high);
    }
    fitRange(chart, plot);
}

void StudyCharts::fitRange(Chart &chart, Plot plot)
{
    double maxX = 1, maxY = 1;
    for (const GridCell &c : std::as_const(m_cells)) {
        maxX = std::max(maxX, c.value);
        if (!chart.hidden.contains(c.strategy))
            maxY = std::max(maxY, valueOf(c, plot, plot == Plot::Latency ? 0 : 1));
    }
    ChartPanel::setRoundRange(chart.x, maxX);
    ChartPanel::setRoundRange(chart.y, maxY);
}

void StudyCharts::toggle(Chart &chart, Plot plot, const QString &strategy)
{
    const auto it = chart.lines.find(strategy);
    if (it == chart.lines.end())
        return;
    const bool show = chart.hidden.contains(strategy);
    if (show)
        chart.hidden.remove(strategy);
    else
        chart.hidden.insert(strategy);
    it->mean->setVisible(show);
    if (it->band)
        it->band->setVisible(show);
    for (QLegendMarker *marker : chart.chart->legend()->markers(it->mean)) {
        marker->setVisible(true); // stays in the legend, dimmed, to be clicked again
        QColor label = marker->labelBrush().color();
        label.setAlphaF(show ? 1.0 : 0.4);
        marker->setLabelBrush(label);
    }
    fitRange(chart, plot);
}

void StudyCharts::hide(Plot plot, const QString &strategy)
{
    Chart &c = plot == Plot::Calls ? m_calls : plot == Plot::Completion ? m_completion : m_latency;
    if (plot != Plot::Clusters && !c.hidden.contains(strategy))
        toggle(c, plot, strategy);
}

void StudyCharts::setClusters(const QString &title, const std::vector<qint64> &writeTimesUs)
{
    const qint64 bin = 10'000; // 10 ms
    qint64 last = 0;
    for (const qint64 t : writeTimesUs)
        last = std::max(last, t);
    std::vector<int> counts(static_cast<std::size_t>(last / bin + 1), 0);
    for (const qint64 t : writeTimesUs)
        ++counts[static_cast<std::size_t>(t / bin)];
    QList<QPointF> points;
    int top = 1;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        // Steps: each bin's count across its 10 ms.
        points << QPointF(double(i) * 10, counts[i]) << QPointF(double(i + 1) * 10, counts[i]);
        top = std::max(top, counts[i]);
    }
    m_clusterLine->replace(points);
    m_clusters.chart->setTitle(tr("Writes per 10 ms: %1").arg(title));
    ChartPanel::setRoundRange(m_clusters.x, double(counts.size()) * 10);
    ChartPanel::setCountRange(m_clusters.y, top);
}

QList<QPointF> StudyCharts::points(Plot plot, const QString &strategy) const
{
    if (plot == Plot::Clusters)
        return m_clusterLine->points();
    const Chart &c = plot == Plot::Calls        ? m_calls
                     : plot == Plot::Completion ? m_completion
                                                : m_latency;
    const auto it = c.lines.find(strategy);
    return it == c.lines.end() ? QList<QPointF>() : it->mean->points();
}

QList<QPointF> StudyCharts::band(Plot plot, const QString &strategy, bool high) const
{
    const Chart &c = plot == Plot::Calls ? m_calls : m_completion;
    const auto it = c.lines.find(strategy);
    if (plot == Plot::Latency || plot == Plot::Clusters || it == c.lines.end())
        return {};
    return (high ? it->high : it->low)->points();
}

bool StudyCharts::isShown(Plot plot, const QString &strategy) const
{
    const Chart &c = plot == Plot::Calls        ? m_calls
                     : plot == Plot::Completion ? m_completion
                                                : m_latency;
    const auto it = c.lines.find(strategy);
    return it != c.lines.end() && it->mean->isVisible();
}

QWidget *StudyCharts::picture(Plot plot) const
{
    switch (plot) {
    case Plot::Calls:
        return m_calls.view;
    case Plot::Completion:
        return m_completion.view;
    case Plot::Latency:
        return m_latency.view;
    case Plot::Clusters:
        return m_clusters.view;
    }
    return nullptr;
}

QStringList StudyCharts::exportTo(const QString &dir, QString *error)
{
    QStringList written;
    const QList<std::pair<Plot, QString>> plots{{Plot::Calls, u"study-calls"_s},
                                                {Plot::Completion, u"study-completion"_s},
                                                {Plot::Latency, u"study-latency"_s},
                                                {Plot::Clusters, u"study-clusters"_s}};
    for (const auto &[plot, name] : plots) {
        for (const QString &suffix : {u".png"_s, u".svg"_s}) {
            const QString file = QDir(dir).filePath(name + suffix);
            if (!saveChartImage(picture(plot), file, name, error))
                return {};
            written << file;
        }
    }
    const QString csv = QDir(dir).filePath(u"study.csv"_s);
    if (!writeFileAtomically(csv, gridCsv(m_cells).toUtf8(), error))
        return {};
    written << csv;
    return written;
}

} // namespace retrylab
