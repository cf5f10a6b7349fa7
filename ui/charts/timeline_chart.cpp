// SPDX-License-Identifier: GPL-3.0-or-later
#include "timeline_chart.h"

#include "analysis/run_analysis.h"
#include "base/duration.h"
#include "style/palette.h"
#include "timeline_item.h"

#include <QComboBox>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QSet>
#include <QToolButton>
#include <QWheelEvent>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

TimelineChart::TimelineChart(QWidget *parent)
    : ChartPanel(tr("Attempt timeline"), parent)
{
    m_by = new QComboBox;
    m_by->setObjectName(u"timelineBy"_s);
    m_by->addItem(tr("One lane per operation"));
    m_by->addItem(tr("One lane per client"));
    m_by->setToolTip(tr("Each operation's attempts on their own line, or each client's"));
    auto *all = new QToolButton;
    all->setText(tr("Show all"));
    all->setToolTip(tr("Zoom out to the whole run and follow it (double click does the same)"));
    m_counts = new QLabel;
    m_counts->setObjectName(u"timelineCounts"_s);
    addOption(m_by);
    addOption(all);
    addOption(m_counts);

    m_chart = new QChart;
    m_chart->setTitle(tr("Attempts over time"));
    m_x = new QValueAxis;
    m_x->setTitleText(tr("time since the run started (s)"));
    m_y = new QValueAxis;
    m_y->setTitleText(tr("operation (lane)"));
    m_y->setReverse(true);
    m_y->setLabelFormat(u"%d"_s);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    // Empty series make the legend: one entry per kind of outcome and of wait.
    // Empty series make the legend: one entry per kind of outcome seen so far, and per kind
    // of wait. They are rebuilt in a fixed order when a new kind shows up.
    for (OutcomeCategory c : category::all()) {
        auto *entry = new QLineSeries;
        entry->setName(category::title(c));
        entry->setPen(QPen(palette::category(c), 6));
        m_legend.insert(c, entry);
    }
    const auto waitEntry = [this](const QString &name, const QPen &pen) {
        auto *entry = new QLineSeries;
        entry->setName(name);
        entry->setPen(pen);
        m_waitLegend << entry;
    };
    waitEntry(tr("wait (backoff)"), QPen(palette::color(palette::Role::WaitBackoff), 2));
    waitEntry(tr("wait (Retry-After)"),
              QPen(palette::color(palette::Role::WaitRetryAfter), 2, Qt::DashLine));
    waitEntry(tr("wait (breaker)"),
              QPen(palette::color(palette::Role::WaitBreaker), 2, Qt::DotLine));
    showLegend({OutcomeCategory::Success});
    m_item = new TimelineItem(m_chart, m_x, m_y);
    m_view = newChartView(m_chart);
    m_view->viewport()->installEventFilter(this);
    m_view->setToolTip(tr("Wheel: zoom time · Ctrl+wheel: zoom lanes · Shift+wheel: scroll "
                          "lanes · drag: pan · double click: show all"));
    setPicture(m_view);

    // Ticks stay on round numbers (0, 50, 100 lanes; 0, 5, 10 s) however the view zooms.
    connect(m_x, &QValueAxis::rangeChanged, this, [this] {
        setRoundTicks(m_x, false);
        updateTexts();
    });
    connect(m_y, &QValueAxis::rangeChanged, this, [this] {
        setRoundTicks(m_y, true);
        updateTexts();
    });
    connect(all, &QToolButton::clicked, this, &TimelineChart::showAll);
    // How many lanes fit depends on the plot's height, known once the chart is laid out.
    connect(m_chart, &QChart::plotAreaChanged, this, [this] {
        if (m_follow)
            fitRanges();
        updateTexts();
    });
    connect(m_by, &QComboBox::currentIndexChanged, this, [this] {
        m_item->setBy(by());
        refresh(lastAnalysis());
        showAll();
    });
    refresh(nullptr);
}

void TimelineChart::refresh(const RunAnalysis *analysis)
{
    if (analysis != lastAnalysis())
        m_follow = true;
    remember(analysis);
    m_item->setAnalysis(analysis);
    const TimelineLanes *t = analysis ? &analysis->timeline(by()) : nullptr;
    QSet<OutcomeCategory> seen{OutcomeCategory::Success};
    for (OutcomeCategory c : category::all())
        if (t && t->count(c) > 0)
            seen.insert(c);
    if (seen != m_shownCategories)
        showLegend(seen);
    if (m_follow)
        fitRanges();
    updateTexts();
    m_item->update();
}

void TimelineChart::updateTexts()
{
    // The counts name the lanes in view, which the person's zoom and scroll change.
    const RunAnalysis *analysis = lastAnalysis();
    if (const TimelineLanes *t = analysis ? &analysis->timeline(by()) : nullptr) {
        QStringList parts;
        for (OutcomeCategory c : category::all())
            if (t->count(c) > 0)
                parts << u"%1 %2"_s.arg(category::title(c)).arg(t->count(c));
        const int shownFrom = std::clamp(int(m_y->min()), 0, t->lanes());
        const int shownTo = std::clamp(int(std::ceil(m_y->max())), 0, t->lanes());
        const QString lanes = shownFrom == 0 && shownTo >= t->lanes()
                                  ? tr("%1 lanes").arg(t->lanes())
                                  : tr("lanes %1–%2 of %3 (Shift+wheel scrolls)")
                                        .arg(shownFrom)
                                        .arg(shownTo)
                                        .arg(t->lanes());
        const QString text =
            tr("%1 attempts in %2: %3").arg(t->bars()).arg(lanes, parts.join(u" · "_s));
        if (m_counts->text() != text)
            m_counts->setText(text);
    } else {
        m_counts->setText(tr("No run yet."));
    }

    // The axes say when a row merges lanes, and when merged rows are coarser than a pixel in
    // time, so that a picture of a million lanes is not read as a picture of each one.
    const TimelineItem::Layout layout = m_item->layout();
    const bool operations = by() == TimelineLanes::By::Operation;
    QString y = operations ? tr("operation (lane)") : tr("client");
    if (layout.lanesPerRow > 1)
        y = (operations ? tr("operations, %1 per row (worst outcome shown)")
                        : tr("clients, %1 per row (worst outcome shown)"))
                .arg(QLocale().toString(layout.lanesPerRow));
    QString x = tr("time since the run started (s)");
    if (layout.stepUs > 0)
        x +=
            tr("; merged rows in steps of %1").arg(formatDurationReadable(Duration(layout.stepUs)));
    if (m_y->titleText() != y)
        m_y->setTitleText(y);
    if (m_x->titleText() != x)
        m_x->setTitleText(x);
    if (layout.waits != m_waitsInLegend)
        showWaitsInLegend(layout.waits);
}

TimelineChart::~TimelineChart()
{
    // The legend's series move in and out of the chart; they belong to this panel.
    for (QAbstractSeries *series : m_chart->series())
        m_chart->removeSeries(series);
    qDeleteAll(m_legend);
    qDeleteAll(m_waitLegend);
}

void TimelineChart::showLegend(const QSet<OutcomeCategory> &categories)
{
    for (QAbstractSeries *series : m_chart->series())
        m_chart->removeSeries(series); // owned by this panel: kept for later
    const auto add = [this](QLineSeries *series) {
        m_chart->addSeries(series);
        series->attachAxis(m_x);
        series->attachAxis(m_y);
    };
    for (OutcomeCategory c : category::all())
        if (categories.contains(c))
            add(m_legend.value(c));
    for (QLineSeries *series : std::as_const(m_waitLegend))
        add(series);
    m_shownCategories = categories;
    showWaitsInLegend(m_waitsInLegend); // and places the legend
}

void TimelineChart::resizeEvent(QResizeEvent *event)
{
    ChartPanel::resizeEvent(event);
    fitLegend();
}

void TimelineChart::fitLegend()
{
    // Up to eight entries: in a 1280-pixel window they no longer fit one row below the plot,
    // and Qt Charts would cut each to "429 Too Many …"; beside the plot, one a line, they fit.
    const QFontMetrics metrics(m_chart->legend()->font());
    int needed = 0;
    for (const QString &entry : legendEntries())
        needed += metrics.horizontalAdvance(entry) + 3 * metrics.height();
    const Qt::Alignment side = needed > width() - 60 ? Qt::AlignRight : Qt::AlignBottom;
    if (m_chart->legend()->alignment() != side)
        m_chart->legend()->setAlignment(side);
}

Qt::Alignment TimelineChart::legendAlignment() const
{
    return m_chart->legend()->alignment();
}

QStringList TimelineChart::legendEntries() const
{
    QStringList entries;
    for (QLegendMarker *marker : m_chart->legend()->markers())
        if (marker->isVisible())
            entries << marker->label();
    return entries;
}

void TimelineChart::showWaitsInLegend(bool shown)
{
    m_waitsInLegend = shown;
    for (QLineSeries *series : std::as_const(m_waitLegend))
        for (QLegendMarker *marker : m_chart->legend()->markers(series))
            marker->setVisible(shown);
    fitLegend();
}

QPair<double, double> TimelineChart::timeRange() const
{
    return {m_x->min(), m_x->max()};
}

QPair<double, double> TimelineChart::laneRange() const
{
    return {m_y->min(), m_y->max()};
}

void TimelineChart::setTimeRange(double from, double to)
{
    m_follow = false;
    setRoundView(m_x, from, to, false);
}

void TimelineChart::setLaneRange(double from, double to)
{
    m_follow = false;
    setRoundView(m_y, from, to, true);
}

TimelineLanes::By TimelineChart::by() const
{
    return m_by->currentIndex() == 0 ? TimelineLanes::By::Operation : TimelineLanes::By::Client;
}

void TimelineChart::fitRanges()
{
    const RunAnalysis *a = lastAnalysis();
    // The time axis ends where the run does (rounded up to its tick step), not at the next
    // "nice" number: a 24 s run gets 0–25 s, not 0–40 s.
    const double end = a ? std::max(0.1, double(a->timeline(by()).endUs()) / 1e6) : 10.0;
    setRoundRange(m_x, end);
    // Lanes stay tall enough to show the waits between attempts (kMinLanePx): with more lanes
    // than fit, the newest are shown while the run goes on and Shift+wheel scrolls to others.
    const int lanes = a ? std::max(1, a->timeline(by()).lanes()) : 10;
    const double height = std::max(100.0, m_chart->plotArea().height());
    const int fit = std::max(10, int(height / kMinLanePx));
    setRoundView(m_y, std::max(0, lanes - fit), lanes, true);
}

void TimelineChart::showAll()
{
    m_follow = true;
    fitRanges();
}

void TimelineChart::zoomTime(double factor, double aroundSeconds)
{
    m_follow = false;
    const double lo = aroundSeconds - (aroundSeconds - m_x->min()) * factor;
    const double hi = aroundSeconds + (m_x->max() - aroundSeconds) * factor;
    if (hi - lo > 1e-4) // 0.1 ms across is as close as it gets
        m_x->setRange(std::max(0.0, lo), hi);
}

bool TimelineChart::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_view->viewport())
        return ChartPanel::eventFilter(watched, event);
    const QRectF plot = m_chart->plotArea();
    switch (event->type()) {
    case QEvent::Wheel: {
        auto *e = static_cast<QWheelEvent *>(event);
        const double steps = e->angleDelta().y() / 120.0;
        if (steps == 0)
            return true;
        const QPointF pos = m_view->mapToScene(e->position().toPoint());
        if (e->modifiers() & Qt::ShiftModifier) {
            m_follow = false;
            const double span = m_y->max() - m_y->min();
            const double shift = -steps * span / 10;
            m_y->setRange(m_y->min() + shift, m_y->max() + shift);
        } else if (e->modifiers() & Qt::ControlModifier) {
            m_follow = false;
            const double around =
                m_y->min() + (pos.y() - plot.top()) / plot.height() * (m_y->max() - m_y->min());
            const double f = std::pow(0.8, steps);
            m_y->setRange(around - (around - m_y->min()) * f, around + (m_y->max() - around) * f);
        } else {
            const double around =
                m_x->min() + (pos.x() - plot.left()) / plot.width() * (m_x->max() - m_x->min());
            zoomTime(std::pow(0.8, steps), around);
        }
        return true;
    }
    case QEvent::MouseButtonPress:
        m_dragFrom = static_cast<QMouseEvent *>(event)->position();
        return false;
    case QEvent::MouseMove: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (!(e->buttons() & Qt::LeftButton))
            return false;
        const QPointF d = e->position() - m_dragFrom;
        m_dragFrom = e->position();
        m_follow = false;
        const double dx = -d.x() / plot.width() * (m_x->max() - m_x->min());
        const double dy = -d.y() / plot.height() * (m_y->max() - m_y->min());
        m_x->setRange(m_x->min() + dx, m_x->max() + dx);
        m_y->setRange(m_y->min() + dy, m_y->max() + dy);
        return true;
    }
    case QEvent::MouseButtonDblClick:
        showAll();
        return true;
    default:
        return false;
    }
}

} // namespace retrylab
