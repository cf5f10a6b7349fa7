// SPDX-License-Identifier: GPL-3.0-or-later
#include "compliance_chart.h"

#include "analysis/run_analysis.h"
#include "log/run_summary.h"
#include "style/palette.h"

#include <QLabel>
#include <QSet>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
constexpr int kGrid = 400;       // compliant points are thinned to one per grid cell
constexpr int kMaxEarly = 20000; // violations are all drawn, up to this many
} // namespace

ComplianceChart::ComplianceChart(QWidget *parent)
    : ChartPanel(tr("Retry-After compliance"), parent)
{
    m_verdict = new QLabel;
    m_verdict->setObjectName(u"complianceVerdict"_s);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    addOption(m_verdict);

    m_chart = new QChart;
    // What matters is how early or late each retry came back against what it was told, in
    // milliseconds: asked-against-taken in seconds folds hundreds of waits onto a few dots.
    m_chart->setTitle(tr("Retry-After: how early or late clients came back"));
    m_ok = new QScatterSeries;
    m_ok->setName(tr("Waited long enough"));
    m_ok->setColor(palette::color(palette::Role::Success));
    m_ok->setMarkerSize(7);
    m_ok->setBorderColor(Qt::transparent);
    m_early = new QScatterSeries;
    m_early->setName(tr("Came back early"));
    m_early->setColor(palette::color(palette::Role::Early));
    m_early->setMarkerSize(9);
    m_early->setBorderColor(Qt::transparent);
    m_diagonal = new QLineSeries;
    m_diagonal->setName(tr("on time"));
    QPen pen(palette::color(palette::Role::Neutral));
    pen.setStyle(Qt::DashLine);
    m_diagonal->setPen(pen);
    m_chart->addSeries(m_diagonal);
    m_chart->addSeries(m_ok);
    m_chart->addSeries(m_early);
    std::tie(m_x, m_y) =
        addAxes(m_chart, tr("time since the run started (s)"), tr("ms past Retry-After"));
    const auto hover = [this](const QPointF &p, bool state) {
        setToolTip(!state ? QString()
                   : p.y() < 0
                       ? tr("at %1 s: %2 ms early").arg(p.x(), 0, 'f', 3).arg(-p.y(), 0, 'f', 0)
                       : tr("at %1 s: %2 ms after the time it was given")
                             .arg(p.x(), 0, 'f', 3)
                             .arg(p.y(), 0, 'f', 0));
    };
    connect(m_early, &QScatterSeries::hovered, this, hover);
    connect(m_ok, &QScatterSeries::hovered, this, hover);
    setPicture(newChartView(m_chart));
    refresh(nullptr);
}

void ComplianceChart::refresh(const RunAnalysis *analysis)
{
    if (analysis != lastAnalysis())
        m_serverPercent = -1;
    remember(analysis);
    QList<QPointF> ok;
    QList<QPointF> early;
    double end = 1;   // s
    double lo = -100; // ms
    double hi = 100;  // ms
    if (analysis) {
        for (const auto &v : analysis->verdicts()) {
            end = std::max(end, v.atUs / 1e6);
            const double late = double(v.takenUs - v.askedUs) / 1000.0;
            lo = std::min(lo, late);
            hi = std::max(hi, late);
        }
        QSet<int> cells;
        for (const auto &v : analysis->verdicts()) {
            const QPointF p(v.atUs / 1e6, double(v.takenUs - v.askedUs) / 1000.0);
            if (v.violated()) {
                if (early.size() < kMaxEarly)
                    early.append(p);
                continue;
            }
            const int cell =
                int(p.x() / end * kGrid) * (kGrid + 1) + int((p.y() - lo) / (hi - lo) * kGrid);
            if (!cells.contains(cell)) {
                cells.insert(cell);
                ok.append(p);
            }
        }
    }
    m_shownOk = ok.size();
    m_shownEarly = early.size();
    m_ok->replace(ok);
    m_early->replace(early);
    m_diagonal->replace({{0, 0}, {end * 1.2, 0}});
    setRoundRange(m_x, end);
    // Early below the line, late above; both sides keep a tenth of the span as room, so that
    // neither the line nor a marker at either end sits on the frame (a marker is ~10 px wide).
    const double room = 0.1 * (hi - lo);
    m_y->setRange(lo - room, hi + room);
    setRoundTicks(m_y, true);
    m_verdict->setText(verdictText());
}

void ComplianceChart::setSummary(const RunSummary &summary)
{
    m_serverPercent = summary.serverCompliancePercent;
    m_verdict->setText(verdictText());
}

int ComplianceChart::compliantPoints() const
{
    return m_ok->count();
}

int ComplianceChart::earlyPoints() const
{
    return m_early->count();
}

QString ComplianceChart::verdictText() const
{
    const RunAnalysis *a = lastAnalysis();
    if (!a || a->verdicts().empty())
        return tr("No response has asked a client to wait yet.");
    qint64 worst = 0;
    for (const auto &v : a->verdicts())
        worst = std::max(worst, v.earlyUs());
    QString text = tr("Client log: %1% compliant (%2 of %3 waits honoured")
                       .arg(a->compliancePercent(), 0, 'f', 1)
                       .arg(qint64(a->verdicts().size()) - a->violations())
                       .arg(a->verdicts().size());
    text += a->violations() ? tr("; %1 early, the worst by %2 ms)")
                                  .arg(a->violations())
                                  .arg(double(worst) / 1000.0, 0, 'f', 0)
                            : tr(")");
    if (!a->scenario().builtinServer)
        return text + tr(" · No server journal for a typed URL");
    text += m_serverPercent >= 0
                ? tr(" · Server journal: %1% compliant").arg(m_serverPercent, 0, 'f', 1)
                : tr(" · Server journal: when the run ends");
    return text;
}

} // namespace retrylab
