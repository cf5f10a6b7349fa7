// SPDX-License-Identifier: GPL-3.0-or-later
#include "jitter_chart.h"

#include "analysis/delay_samples.h"
#include "analysis/run_analysis.h"
#include "style/palette.h"

#include <QComboBox>
#include <QLabel>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
constexpr qint64 kFitTestMinWaits = 35;
}

namespace {
constexpr int kPreviewDraws = 5000; // per retry number: instant, and enough for a smooth shape
constexpr int kBins = 40;
} // namespace

JitterChart::JitterChart(QWidget *parent)
    : ChartPanel(tr("Jitter distribution"), parent)
{
    m_source = new QComboBox;
    m_source->setObjectName(u"jitterSource"_s);
    m_source->addItem(tr("Waits in this run"));
    m_source->addItem(tr("Preview of the policy (%1 draws)").arg(kPreviewDraws));
    m_source->setToolTip(tr("Measured waits of the last run, or draws from the policy being "
                            "edited, without any network"));
    m_retry = new QComboBox;
    m_retry->setObjectName(u"jitterRetry"_s);
    m_retry->setToolTip(tr("The wait before which retry"));
    m_fit = new QLabel;
    m_fit->setObjectName(u"jitterFit"_s);
    m_fit->setTextInteractionFlags(Qt::TextSelectableByMouse);
    addOption(m_source);
    addOption(m_retry);
    addOption(m_fit);
    fillRetries(m_preview.maxAttempts - 1);

    m_chart = new QChart;
    m_measured = new QLineSeries(this);
    m_zero = new QLineSeries(this);
    auto *bars = new QAreaSeries(m_measured, m_zero);
    bars->setName(tr("Waits"));
    QColor barColor = palette::color(palette::Role::FirstAttempts);
    bars->setBorderColor(barColor.darker(130));
    barColor.setAlpha(170);
    bars->setColor(barColor);
    m_theory = new QLineSeries;
    m_theory->setName(tr("Expected from the formula"));
    QPen pen(palette::color(palette::Role::Expected));
    pen.setWidthF(2.5);
    m_theory->setPen(pen);
    m_chart->addSeries(bars);
    m_chart->addSeries(m_theory);
    std::tie(m_x, m_y) = addAxes(m_chart, tr("wait before the retry (ms)"), tr("waits per bin"));
    setPicture(newChartView(m_chart));

    const auto redraw = [this] {
        refresh(lastAnalysis());
    };
    connect(m_source, &QComboBox::currentIndexChanged, this, redraw);
    connect(m_retry, &QComboBox::currentIndexChanged, this, redraw);
    refresh(nullptr);
}

void JitterChart::fillRetries(int maxRetry)
{
    maxRetry = std::max(maxRetry, 1);
    if (m_retry->count() == maxRetry + 1)
        return;
    const QSignalBlocker block(m_retry);
    const int current = std::max(1, m_retry->currentIndex());
    m_retry->clear();
    m_retry->addItem(tr("All retries"));
    for (int n = 1; n <= maxRetry; ++n)
        m_retry->addItem(tr("Retry %1").arg(n));
    m_retry->setCurrentIndex(std::min(current, maxRetry));
}

void JitterChart::setPreviewPolicy(const RetryPolicy &policy)
{
    m_preview = policy;
    if (showsPreview())
        refresh(lastAnalysis());
}

void JitterChart::setShowPreview(bool preview)
{
    m_source->setCurrentIndex(preview ? 1 : 0);
}

bool JitterChart::showsPreview() const
{
    return m_source->currentIndex() == 1;
}

void JitterChart::setRetry(int retry)
{
    m_retry->setCurrentIndex(retry);
}

void JitterChart::refresh(const RunAnalysis *analysis)
{
    remember(analysis);
    if (showsPreview() || !analysis) {
        // A seed of its own: the theory of sampled strategies draws with 0x5eed.
        const DelaySamples samples = DelaySamples::fromPolicy(m_preview, kPreviewDraws, 0xd1ce);
        fillRetries(samples.maxRetry());
        show(DelayHistogram::build(samples, Backoff(m_preview.backoff), m_retry->currentIndex(),
                                   kBins),
             showsPreview()
                 ? tr("Preview: %1").arg(Backoff::title(m_preview.backoff.kind))
                 : tr("No run yet: preview of %1").arg(Backoff::title(m_preview.backoff.kind)));
        setEmptyMessage({});
        return;
    }
    const RetryPolicy &policy = analysis->scenario().policy.retry;
    fillRetries(std::max(analysis->delays().maxRetry(), policy.maxAttempts - 1));
    show(DelayHistogram::build(analysis->delays(), Backoff(policy.backoff), m_retry->currentIndex(),
                               kBins),
         tr("Waits in this run: %1").arg(Backoff::title(policy.backoff.kind)));
    const qint64 others = analysis->delays().notFromBackoff();
    if (others > 0)
        m_fit->setText(m_fit->text() + tr(" · %1 waits set by Retry-After, a breaker or the "
                                          "time budget are not shown")
                                           .arg(others));
    // An empty histogram says why, and where to look instead.
    const QString title = Backoff::title(policy.backoff.kind).toHtmlEscaped();
    if (m_total > 0 && others > m_total)
        setEmptyMessage(tr("<b>Most waits in this run did not come from %1:</b> %2 of %3 were "
                           "set by Retry-After, a breaker or the time budget, and the "
                           "<i>Retry-After compliance</i> tab shows them. "
                           "<a href=\"preview\">Show the waits %1 would draw</a>.")
                            .arg(title)
                            .arg(others)
                            .arg(others + m_total));
    else if (m_total > 0)
        setEmptyMessage({});
    else if (others > 0)
        setEmptyMessage(tr("<b>No backoff waits to show.</b> All %1 waits in this run were set "
                           "by Retry-After, a breaker or the time budget, not drawn by %2: the "
                           "<i>Retry-After compliance</i> tab shows them. "
                           "<a href=\"preview\">Show the waits %2 would draw</a>.")
                            .arg(others)
                            .arg(title));
    else
        setEmptyMessage(tr("<b>No retries%1, so no waits.</b> "
                           "<a href=\"preview\">Show the waits %2 would draw</a>.")
                            .arg(analysis->records() > 0 ? tr(" in this run") : tr(" yet"), title));
}

void JitterChart::followEmptyLink(const QString &link)
{
    if (link == u"preview"_s)
        setShowPreview(true);
}

void JitterChart::show(const DelayHistogram &h, const QString &what)
{
    QList<QPointF> bars;
    QList<QPointF> zero;
    QList<QPointF> theory;
    double peak = 1;
    m_total = 0;
    for (std::size_t b = 0; b < h.counts.size(); ++b) {
        const double lo = h.loMs + double(b) * h.binMs;
        const double c = double(h.counts[b]);
        bars << QPointF(lo, c) << QPointF(lo + h.binMs, c);
        zero << QPointF(lo, 0) << QPointF(lo + h.binMs, 0);
        peak = std::max(peak, c);
        m_total += h.counts[b];
    }
    for (std::size_t b = 0; b < h.expected.size(); ++b) {
        const double lo = h.loMs + double(b) * h.binMs;
        theory << QPointF(lo, h.expected[b]) << QPointF(lo + h.binMs, h.expected[b]);
        peak = std::max(peak, h.expected[b]);
    }
    m_measured->replace(bars);
    m_zero->replace(zero);
    m_theory->replace(theory);
    setRoundRange(m_x, h.loMs + double(h.counts.size()) * h.binMs);
    setCountRange(m_y, peak * 1.05);
    m_chart->setTitle(what);
    QString fit = h.n == 1 ? tr("1 wait; expected: %1").arg(h.theory)
                           : tr("%1 waits; expected: %2").arg(h.n).arg(h.theory);
    // The test's critical value is the asymptotic one, c(α)/√n: it means nothing for a handful
    // of waits (above 1 for n = 1, where D cannot exceed 1), so it is shown from 35 waits on.
    if (h.ks && h.n >= kFitTestMinWaits)
        fit += tr(" · KS D = %1 (critical %2 at α = 0.001: %3)")
                   .arg(h.ks->statistic, 0, 'f', 3)
                   .arg(h.ks->critical, 0, 'f', 3)
                   .arg(h.ks->rejects() ? tr("does not fit") : tr("fits"));
    else if (h.ks)
        fit += tr(" · too few for a fit test (%1 needed)").arg(kFitTestMinWaits);
    m_fit->setText(fit);
}

QList<QPointF> JitterChart::theoryPoints() const
{
    return m_theory->points();
}

QString JitterChart::fitText() const
{
    return m_fit->text();
}

} // namespace retrylab
