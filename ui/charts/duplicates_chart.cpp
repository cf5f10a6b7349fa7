// SPDX-License-Identifier: GPL-3.0-or-later
#include "duplicates_chart.h"

#include "analysis/duplicate_series.h"
#include "analysis/run_analysis.h"
#include "base/duration.h"
#include "log/run_summary.h"
#include "style/palette.h"

#include <QtCharts/QAreaSeries>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace retrylab {

DuplicatesChart::DuplicatesChart(QWidget *parent)
    : ChartPanel(tr("Duplicate charges"), parent)
{
    m_chart = new QChart;
    m_chart->setTitle(tr("Duplicate charges"));
    m_requests = new QLineSeries(this);
    m_duplicates = new QLineSeries(this);
    m_zero = new QLineSeries(this);
    auto *requestArea = new QAreaSeries(m_requests, m_zero);
    requestArea->setName(tr("Requests that arrived"));
    QColor requests = palette::color(palette::Role::Neutral);
    requests.setAlphaF(0.35f);
    requestArea->setColor(requests);
    requestArea->setBorderColor(palette::color(palette::Role::Neutral));
    auto *duplicateArea = new QAreaSeries(m_duplicates, m_zero);
    duplicateArea->setName(tr("Duplicate charges"));
    duplicateArea->setColor(palette::color(palette::Role::Duplicate));
    duplicateArea->setBorderColor(palette::color(palette::Role::Duplicate).darker(130));
    m_chart->addSeries(requestArea);
    m_chart->addSeries(duplicateArea);
    std::tie(m_x, m_y) = addAxes(m_chart, tr("time since the run started (s)"), tr("per slot"));
    m_cumulative = new QLineSeries;
    m_cumulative->setName(tr("Duplicate charges so far (right)"));
    // A darker shade than the slots' area: the legend's two swatches must not look alike.
    QPen pen(palette::color(palette::Role::Duplicate).darker(200));
    pen.setWidthF(2.5);
    m_cumulative->setPen(pen);
    m_chart->addSeries(m_cumulative);
    m_total = new QValueAxis;
    m_total->setTitleText(tr("duplicate charges so far"));
    m_chart->addAxis(m_total, Qt::AlignRight);
    m_cumulative->attachAxis(m_x);
    m_cumulative->attachAxis(m_total);
    setPicture(newChartView(m_chart));
    refresh(nullptr);
}

qint64 DuplicatesChart::lastCumulative() const
{
    return m_cumulative->count() ? qRound64(m_cumulative->points().constLast().y()) : 0;
}

void DuplicatesChart::setSummary(const RunSummary &summary)
{
    m_finished = true;
    m_ledgerDuplicates = summary.duplicates;
    refresh(lastAnalysis());
}

QString DuplicatesChart::whyEmpty(const RunAnalysis *analysis, const DuplicateSeries *s) const
{
    if (!analysis)
        return tr("No run yet. <b>Demos → Duplicate charges</b> posts the same payments with "
                  "and without idempotency keys to a server that loses answers after charging.");
    if (!analysis->scenario().builtinServer)
        return tr("<b>The server could not tell</b> us: only the built-in server keeps a ledger "
                  "of charges. A real server can only tell a retried payment from a new one by "
                  "its Idempotency-Key; ask it for its duplicates.");
    if (!s)
        return m_finished ? tr("The server's journal did not reach this run: no ledger to read.")
                          : tr("Duplicate charges are read from the server's ledger when the "
                               "run ends.");
    if (s->payments() == 0)
        return tr("No payments in this run: the built-in server counts duplicate charges on "
                  "<code>POST /payments</code>.");
    if (s->total() > 0)
        return {};
    if (s->paymentRetries() == 0)
        return tr("<b>No duplicates</b>: no payment was retried.");
    if (s->retriesWithoutKey() == 0)
        return tr("<b>No duplicates</b>: every retry carried an idempotency key, so the server "
                  "answered it with the first charge instead of charging again.");
    return tr("<b>No duplicates</b>: %n retry(ies) went without an idempotency key, but no "
              "charged payment lost its answer in this run. The server could not have told "
              "them apart.",
              nullptr, int(s->retriesWithoutKey()));
}

void DuplicatesChart::refresh(const RunAnalysis *analysis)
{
    if (analysis != lastAnalysis()) {
        m_finished = false; // another run: its summary has not come yet
        m_ledgerDuplicates = -1;
    }
    remember(analysis);
    const DuplicateSeries *s = analysis ? analysis->duplicates() : nullptr;
    setEmptyMessage(whyEmpty(analysis, s));
    m_barsTotal = 0;
    if (!s) {
        for (QLineSeries *line : {m_requests, m_duplicates, m_zero, m_cumulative})
            line->clear();
        m_x->setRange(0, 10);
        m_y->setRange(0, 10);
        m_total->setRange(0, 10);
        m_chart->setTitle(tr("Duplicate charges"));
        return;
    }
    const double width = double(s->bucketUs()) / 1e6;
    QList<QPointF> requests, duplicates, zero, cumulative{{0, 0}};
    qint64 peakRequests = 0;
    for (std::size_t i = 0; i < s->buckets(); ++i) {
        const double x0 = double(i) * width;
        const double x1 = x0 + width;
        requests << QPointF(x0, double(s->requests(i))) << QPointF(x1, double(s->requests(i)));
        duplicates << QPointF(x0, double(s->duplicates(i)))
                   << QPointF(x1, double(s->duplicates(i)));
        zero << QPointF(x0, 0) << QPointF(x1, 0);
        cumulative << QPointF(x1, double(s->cumulative(i)));
        peakRequests = std::max(peakRequests, s->requests(i));
        m_barsTotal += s->duplicates(i);
    }
    m_requests->replace(requests);
    m_duplicates->replace(duplicates);
    m_zero->replace(zero);
    m_cumulative->replace(cumulative);
    setRoundRange(m_x, std::max(1.0, double(s->buckets()) * width));
    setCountRange(m_y, std::max<double>(5, double(peakRequests) * 1.05));
    setCountRange(m_total, std::max<double>(5, double(s->total()) * 1.1));
    m_y->setTitleText(tr("per %1 slot").arg(formatDurationReadable(Duration(s->bucketUs()))));
    QString title = tr("Duplicate charges: %1 from %2 payment requests, by the server's ledger")
                        .arg(s->total())
                        .arg(s->payments());
    if (m_ledgerDuplicates >= 0 && m_ledgerDuplicates != s->total())
        title += tr(" (the ledger counted %1; the journal kept part of the run)")
                     .arg(m_ledgerDuplicates);
    m_chart->setTitle(title);
}

} // namespace retrylab
