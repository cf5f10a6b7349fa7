// SPDX-License-Identifier: GPL-3.0-or-later
#include "breaker_chart.h"

#include "analysis/run_analysis.h"
#include "plot_area_aligner.h"
#include "style/palette.h"

#include <QComboBox>
#include <QLabel>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtCharts/QCategoryAxis>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
double level(BreakerState s)
{
    switch (s) {
    case BreakerState::Closed:
        return 0;
    case BreakerState::HalfOpen:
        return 1;
    case BreakerState::Open:
        return 2;
    case BreakerState::ForcedOpen:
        return 3;
    case BreakerState::Disabled:
        break;
    }
    return 0;
}
} // namespace

BreakerChart::BreakerChart(QWidget *parent)
    : ChartPanel(tr("Breaker states"), parent)
{
    m_breaker = new QComboBox;
    m_breaker->setObjectName(u"breakerChoice"_s);
    m_breaker->setToolTip(tr("Which breaker to show: each client has its own unless the scenario "
                             "shares one"));
    m_breaker->setMinimumContentsLength(16);
    m_summary = new QLabel;
    addOption(m_breaker);
    addOption(m_summary);
    connect(m_breaker, &QComboBox::currentIndexChanged, this, [this] { refresh(lastAnalysis()); });

    buildStateChart();
    buildCallChart();

    auto *picture = new QWidget;
    auto *layout = new QVBoxLayout(picture);
    layout->setContentsMargins(0, 0, 0, 0);
    // Two charts stacked: each may be shorter than a lone chart, so the page fits 720 pixels.
    // One time axis above the other: the aligner keeps a moment at the same x in both.
    // At 1280x720 each gets about 220 pixels: thin margins, one time-axis title (the lower
    // chart's, the same axis) and short value-axis titles keep the plots tall enough that Qt
    // Charts does not elide their titles and labels.
    m_aligner = new PlotAreaAligner(this);
    for (QChart *chart : {m_stateChart, m_callChart}) {
        chart->setMargins(QMargins(4, 2, 4, 2));
        QChartView *view = newChartView(chart);
        view->setMinimumHeight(170);
        layout->addWidget(view, 1);
        m_aligner->add(view);
    }
    setPicture(picture);
    refresh(nullptr);
}

// The step line of states, a mark at each transition explained on hover.
void BreakerChart::buildStateChart()
{
    m_stateChart = new QChart;
    m_stateChart->setTitle(tr("Breaker state"));
    m_state = new QLineSeries;
    m_state->setName(tr("State"));
    QPen pen(palette::color(palette::Role::BreakerRejection));
    pen.setWidthF(2.5);
    m_state->setPen(pen);
    m_marks = new QScatterSeries;
    m_marks->setName(tr("Transition (hover for why)"));
    m_marks->setMarkerSize(11);
    m_marks->setColor(palette::color(palette::Role::Marker));
    m_stateChart->addSeries(m_state);
    m_stateChart->addSeries(m_marks);
    m_x = new QValueAxis;
    m_x->setTitleText(tr("time since the run started (s)"));
    m_x->setTitleVisible(false); // the chart below names the same axis
    m_y = new QCategoryAxis;
    m_y->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_y->append(tr("closed"), 0);
    m_y->append(tr("half-open"), 1);
    m_y->append(tr("open"), 2);
    m_y->append(tr("forced open"), 3);
    m_y->setRange(-0.3, 3.3);
    m_y->setTitleText(tr("state"));
    m_stateChart->addAxis(m_x, Qt::AlignBottom);
    m_stateChart->addAxis(m_y, Qt::AlignLeft);
    for (QAbstractSeries *s : m_stateChart->series()) {
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    connect(m_marks, &QScatterSeries::hovered, this, [this](const QPointF &p, bool on) {
        if (!on) {
            QToolTip::hideText();
            return;
        }
        const QList<QPointF> points = m_marks->points();
        const auto it =
            std::min_element(points.begin(), points.end(), [&](const QPointF &a, const QPointF &b) {
                return qAbs(a.x() - p.x()) < qAbs(b.x() - p.x());
            });
        if (it != points.end())
            QToolTip::showText(QCursor::pos(), explain(int(it - points.begin())));
    });
}

// The failure rate of the calls let through and the calls rejected, per 100 ms.
void BreakerChart::buildCallChart()
{
    m_callChart = new QChart;
    m_callChart->setTitle(tr("What the breaker saw, per 100 ms"));
    m_rate = new QLineSeries;
    m_rate->setName(tr("Failure rate of the calls let through (%)"));
    m_rate->setColor(palette::color(palette::Role::Unavailable));
    m_rejected = new QLineSeries;
    m_rejected->setName(tr("Calls rejected"));
    m_rejected->setColor(palette::color(palette::Role::BreakerRejection));
    m_callChart->addSeries(m_rate);
    m_callChart->addSeries(m_rejected);
    m_callX = new QValueAxis;
    m_callX->setTitleText(tr("time since the run started (s)"));
    m_rateY = new QValueAxis;
    m_rateY->setTitleText(tr("failed (%)"));
    m_rateY->setRange(0, 100);
    m_rejectedY = new QValueAxis;
    m_rejectedY->setTitleText(tr("rejected"));
    m_rejectedY->setLabelFormat(u"%d"_s);
    m_callChart->addAxis(m_callX, Qt::AlignBottom);
    m_callChart->addAxis(m_rateY, Qt::AlignLeft);
    m_callChart->addAxis(m_rejectedY, Qt::AlignRight);
    m_rate->attachAxis(m_callX);
    m_rate->attachAxis(m_rateY);
    m_rejected->attachAxis(m_callX);
    m_rejected->attachAxis(m_rejectedY);
}

void BreakerChart::refresh(const RunAnalysis *analysis)
{
    const bool newRun = analysis != lastAnalysis();
    remember(analysis);
    m_markTransitions.clear();
    if (!analysis) {
        m_breaker->clear();
        m_state->clear();
        m_marks->clear();
        m_rate->clear();
        m_rejected->clear();
        m_x->setRange(0, 10);
        m_callX->setRange(0, 10);
        m_summary->setText(tr("No run yet."));
        m_aligner->realign();
        return;
    }
    const BreakerSeries &b = analysis->breakers();
    const QList<std::uint32_t> active = b.active();
    {
        // Keep the person's choice while the list grows.
        const QSignalBlocker block(m_breaker);
        const QVariant chosen = newRun ? QVariant() : m_breaker->currentData();
        m_breaker->clear();
        const bool shared = analysis->scenario().sharedBreaker;
        for (std::uint32_t id : active)
            m_breaker->addItem(shared ? tr("Shared breaker") : tr("Client %1's breaker").arg(id),
                               id);
        if (active.isEmpty())
            m_breaker->addItem(shared ? tr("Shared breaker") : tr("Client 0's breaker"), 0u);
        const int i = chosen.isValid() ? m_breaker->findData(chosen) : 0;
        m_breaker->setCurrentIndex(std::max(0, i));
    }
    const auto id = m_breaker->currentData().value<std::uint32_t>();
    const double end = std::max(1.0, double(analysis->timeline().endUs()) / 1e6);

    QList<QPointF> steps;
    QList<QPointF> marks;
    const auto st = b.steps(id);
    for (std::size_t i = 0; i < st.size(); ++i) {
        const double t = double(st[i].atUs) / 1e6;
        if (i > 0) {
            steps << QPointF(t, level(st[i - 1].state));
            marks << QPointF(t, level(st[i].state));
            m_markTransitions << st[i].transition;
        }
        steps << QPointF(t, level(st[i].state));
    }
    steps << QPointF(end, level(st.back().state));
    m_state->replace(steps);
    m_marks->replace(marks);

    QList<QPointF> rate;
    QList<QPointF> rejected;
    const auto &buckets = b.buckets(id);
    const double w = double(b.bucketUs()) / 1e6;
    int peakRejected = 1;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        const double t = (double(i) + 0.5) * w;
        if (buckets[i].calls > 0)
            rate << QPointF(t, 100.0 * buckets[i].failureRate());
        rejected << QPointF(t, buckets[i].rejected);
        peakRejected = std::max(peakRejected, buckets[i].rejected);
    }
    m_rate->replace(rate);
    m_rejected->replace(rejected);
    setRoundRange(m_x, end);
    setRoundRange(m_callX, end);
    setCountRange(m_rejectedY, peakRejected);
    m_aligner->realign();
    const auto transitions = [](qsizetype n) {
        return n == 1 ? tr("1 transition") : tr("%1 transitions").arg(n);
    };
    m_summary->setText(tr("%1 in all, %2 calls rejected; this breaker: %3")
                           .arg(transitions(qsizetype(b.transitions().size())))
                           .arg(b.rejected())
                           .arg(transitions(qsizetype(marks.size()))));
}

int BreakerChart::statePoints() const
{
    return m_state->count();
}

int BreakerChart::transitionMarks() const
{
    return m_marks->count();
}

QPair<QRectF, QRectF> BreakerChart::plotAreas() const
{
    return {m_stateChart->plotArea(), m_callChart->plotArea()};
}

QList<QPointF> BreakerChart::rejectedPoints() const
{
    return m_rejected->points();
}

QString BreakerChart::explain(int index) const
{
    const RunAnalysis *a = lastAnalysis();
    if (!a || index < 0 || index >= m_markTransitions.size())
        return {};
    const BreakerRecord &r = a->breakers().transitions()[std::size_t(m_markTransitions[index])];
    const BreakerTransition &t = r.transition;
    QString text = tr("%1 → %2 at %3 s\n%4")
                       .arg(breakerStateId(t.from), breakerStateId(t.to))
                       .arg(double(r.atUs) / 1e6, 0, 'f', 3)
                       .arg(t.reason);
    text += tr("\nwindow: %1 failures in %2 calls (%3%), %4 in a row")
                .arg(t.windowFailures)
                .arg(t.windowCalls)
                .arg(100.0 * t.failureRate(), 0, 'f', 0)
                .arg(t.consecutiveFailures);
    if (t.to == BreakerState::Open)
        text += tr("\nopen for %1").arg(formatDurationReadable(t.openFor));
    return text;
}

} // namespace retrylab
