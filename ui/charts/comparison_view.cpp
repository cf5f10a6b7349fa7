// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparison_view.h"

#include "analysis/run_analysis.h"
#include "comparison_table.h"
#include "comparison_tiles.h"
#include "load_chart.h"
#include "run/comparison_run.h"
#include "style/palette.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

using namespace Qt::StringLiterals;

namespace retrylab {

struct ComparisonView::Shown {
    ClientPolicy policy; // for the waits chart's theory
    std::unique_ptr<RunAnalysis> analysis;
    QLineSeries *series = nullptr;
};

namespace {
const QString kOff = QStringLiteral("(off)");
const QString kEdited = QStringLiteral("Policy being edited");
} // namespace

ComparisonView::ComparisonView(QWidget *parent)
    : QWidget(parent)
    , m_comparison(std::make_unique<ComparisonRun>())
{
    connect(m_comparison.get(), &ComparisonRun::summaryUpdated, this, &ComparisonView::fillTable);
    connect(m_comparison.get(), &ComparisonRun::runEnded, this, &ComparisonView::runEnded);
    connect(m_comparison.get(), &ComparisonRun::finished, this, &ComparisonView::allEnded);
    auto *layout = new QVBoxLayout(this);
    auto *row = new QHBoxLayout;
    for (int i = 0; i < Scenario::kMaxCompared; ++i) {
        auto *slot = new QComboBox;
        slot->setObjectName(u"compareSlot%1"_s.arg(i));
        // The slot is narrow; its tooltip names the whole policy chosen.
        const auto nameInTooltip = [slot, i] {
            slot->setToolTip(
                tr("Policy %1 of the comparison: %2")
                    .arg(i + 1)
                    .arg(slot->currentText().isEmpty() ? tr("none") : slot->currentText()));
        };
        connect(slot, &QComboBox::currentTextChanged, slot, nameInTooltip);
        nameInTooltip();
        // Eight characters each keep the row of four slots, the chart, the layout and Run
        // under 900 pixels, so that the page and the server dock fit a 1280-pixel screen.
        slot->setMinimumContentsLength(8);
        slot->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        slot->setStyleSheet(
            u"QComboBox { border-left: 6px solid %1; }"_s.arg(policyColor(i).name()));
        m_slots << slot;
        row->addWidget(slot);
    }
    m_kind = new QComboBox;
    m_kind->setObjectName(u"compareChart"_s);
    m_kind->addItems({tr("Server load"), tr("Waits before retries"), tr("Attempt timeline"),
                      tr("Breaker states"), tr("Retry-After compliance")});
    m_kind->setToolTip(tr("The chart to compare; load and waits can be overlaid, the others "
                          "are tiled"));
    row->addWidget(m_kind);
    m_layout = new QComboBox;
    m_layout->addItems({tr("Overlay"), tr("Tile")});
    m_layout->setToolTip(tr("One chart with a line per policy, or one chart per policy"));
    m_run = new QPushButton(tr("Run comparison"));
    m_run->setObjectName(u"runComparison"_s);
    m_run->setToolTip(tr("Run the scenario once per policy, at the same time, each against its "
                         "own identically seeded server"));
    row->addWidget(m_layout);
    row->addWidget(m_run);
    layout->addLayout(row);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    m_overlay = new QChart;
    m_overlay->setTitle(tr("Requests arriving at each policy's server, per 100 ms"));
    std::tie(m_x, m_y) = ChartPanel::addAxes(m_overlay, tr("time since the run started (s)"),
                                             tr("requests / 100 ms"));
    m_capacity = new QLineSeries;
    m_capacity->setName(tr("Capacity"));
    QPen capacityPen(palette::color(palette::Role::Neutral));
    capacityPen.setWidthF(1.5);
    capacityPen.setStyle(Qt::DashLine);
    m_capacity->setPen(capacityPen);
    m_overlay->addSeries(m_capacity);
    m_capacity->attachAxis(m_x);
    m_capacity->attachAxis(m_y);
    m_overlayView = ChartPanel::newChartView(m_overlay);
    m_tiles = new ComparisonTiles;
    m_stack = new QStackedWidget;
    m_stack->addWidget(m_overlayView);
    m_stack->addWidget(m_tiles);

    m_table = new ComparisonTable;

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_stack);
    split->addWidget(m_table);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    split->setSizes({800, 200}); // the chart is the point; the table needs a few rows
    layout->addWidget(split, 1);

    m_timer = new QTimer(this);
    m_timer->setInterval(200);
    connect(m_timer, &QTimer::timeout, this, &ComparisonView::refresh);
    connect(m_run, &QPushButton::clicked, this, [this] { isRunning() ? stop() : start(); });
    connect(m_layout, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_stack->setCurrentIndex(i);
        refresh();
    });
    connect(m_kind, &QComboBox::currentIndexChanged, this, &ComparisonView::setChartKind);
    fillSlots();
}

ComparisonView::~ComparisonView()
{
    m_tiles->clear();     // before the analyses go
    m_comparison.reset(); // stops the runs before the charts go
    m_shown.clear();
}

void ComparisonView::setChartKind(int kind)
{
    m_kind->setCurrentIndex(kind);
    const auto k = ChartKind(kind);
    const bool overlayable = k == ChartKind::ServerLoad || k == ChartKind::Waits;
    if (!overlayable)
        m_layout->setCurrentIndex(1);
    m_layout->setEnabled(overlayable);
    m_tiles->setKind(k);
    if (k == ChartKind::Waits) {
        m_overlay->setTitle(tr("Waits before retries (every retry number), per policy"));
        m_x->setTitleText(tr("wait before the retry (ms)"));
        m_y->setTitleText(tr("waits per bin"));
    } else {
        m_overlay->setTitle(tr("Requests arriving at each policy's server, per 100 ms"));
        m_x->setTitleText(tr("time since the run started (s)"));
        m_y->setTitleText(tr("requests / 100 ms"));
    }
    refresh();
}

QColor ComparisonView::policyColor(int run)
{
    return palette::policy(run);
}

void ComparisonView::setScenario(const Scenario &scenario)
{
    m_scenario = scenario;
    fillSlots();
}

void ComparisonView::setEditedPolicy(const ClientPolicy &policy)
{
    m_edited = policy;
}

void ComparisonView::fillSlots()
{
    QStringList labels{kOff, kEdited};
    for (const NamedPolicy &p : std::as_const(m_scenario.compare))
        labels << p.name;
    for (const PolicyPreset &p : policyPresets())
        labels << tr("Preset: %1").arg(p.title);
    for (int i = 0; i < m_slots.size(); ++i) {
        QComboBox *slot = m_slots[i];
        slot->clear();
        slot->addItems(labels);
        if (!m_scenario.compare.isEmpty())
            slot->setCurrentIndex(i < m_scenario.compare.size() ? 2 + i : 0);
        else
            slot->setCurrentIndex(i == 0 ? 1 : 0);
    }
    m_status->setText(m_scenario.compare.isEmpty()
                          ? tr("Pick up to four policies and press Run comparison. "
                               "Open a ready scenario such as the thundering herd for a "
                               "prepared comparison.")
                          : tr("%1: %2").arg(m_scenario.name, m_scenario.description));
}

bool ComparisonView::choose(int slot, const QString &label)
{
    const int i = m_slots.value(slot) ? m_slots[slot]->findText(label) : -1;
    if (i < 0)
        return false;
    m_slots[slot]->setCurrentIndex(i);
    return true;
}

std::optional<NamedPolicy> ComparisonView::slotPolicy(int slot) const
{
    const QString label = m_slots[slot]->currentText();
    if (label == kOff)
        return std::nullopt;
    if (label == kEdited)
        return NamedPolicy{kEdited, m_edited, {}};
    for (const NamedPolicy &p : m_scenario.compare)
        if (p.name == label)
            return p;
    for (const PolicyPreset &p : policyPresets())
        if (tr("Preset: %1").arg(p.title) == label)
            return NamedPolicy{p.title, p.policy, {}};
    return std::nullopt;
}

void ComparisonView::start()
{
    if (isRunning())
        return;
    clear();
    Scenario base = m_scenario;
    if (m_source) {
        const auto edited = m_source();
        if (!edited) {
            m_status->setText(tr("The scenario has invalid fields: fix them first."));
            return;
        }
        base = *edited;
    }
    base.compare.clear();
    for (int i = 0; i < m_slots.size(); ++i) {
        const auto policy = slotPolicy(i);
        if (!policy)
            continue;
        base.compare.append(*policy);
    }
    if (base.compare.isEmpty()) {
        m_status->setText(tr("Nothing to compare: every slot is off."));
        return;
    }
    m_comparison->start(base);
    for (int i = 0; i < m_comparison->size(); ++i) {
        auto shown = std::make_unique<Shown>();
        shown->policy = m_comparison->scenario(i).policy;
        shown->analysis =
            std::make_unique<RunAnalysis>(m_comparison->log(i), m_comparison->scenario(i));
        shown->series = new QLineSeries;
        shown->series->setName(m_comparison->policyName(i));
        QPen pen(policyColor(i));
        pen.setWidthF(2);
        shown->series->setPen(pen);
        m_overlay->addSeries(shown->series);
        shown->series->attachAxis(m_x);
        shown->series->attachAxis(m_y);
        m_shown.push_back(std::move(shown));
    }
    m_run->setText(tr("Stop comparison"));
    m_status->setText(tr("Running %1 policies side by side…").arg(m_shown.size()));
    fillTable();
    m_timer->start();
}

void ComparisonView::clear()
{
    if (isRunning())
        return;
    m_tiles->clear();
    for (auto &r : m_shown) {
        m_overlay->removeSeries(r->series);
        delete r->series;
    }
    m_shown.clear();
    fillTable();
    refresh();
}

void ComparisonView::stop()
{
    m_comparison->stop();
}

bool ComparisonView::isRunning() const
{
    return m_comparison->isRunning();
}

void ComparisonView::runEnded(int run)
{
    const QString failure = m_comparison->failure(run);
    if (!failure.isEmpty())
        m_status->setText(tr("%1 failed: %2").arg(m_comparison->policyName(run), failure));
}

void ComparisonView::allEnded()
{
    m_timer->stop();
    refresh();
    fillTable();
    m_run->setText(tr("Run comparison"));
    m_status->setText(tr("Finished: %1 policies, each against its own server with seed %2.")
                          .arg(m_shown.size())
                          .arg(m_scenario.seed));
    Q_EMIT finished();
}

void ComparisonView::setTiled(bool tiled)
{
    m_layout->setCurrentIndex(tiled ? 1 : 0);
}

QWidget *ComparisonView::picture() const
{
    return m_stack->currentWidget();
}

const RunAnalysis *ComparisonView::analysis(int run) const
{
    return m_shown[std::size_t(run)]->analysis.get();
}

const RunSummary &ComparisonView::summary(int run) const
{
    return m_comparison->summary(run);
}

QString ComparisonView::policyName(int run) const
{
    return m_comparison->policyName(run);
}

QList<QPointF> ComparisonView::overlayPoints(int run) const
{
    return m_shown[std::size_t(run)]->series->points();
}

void ComparisonView::refresh()
{
    double end = 1;
    double peak = 5;
    double longestWait = 1;
    const bool waits = ChartKind(m_kind->currentIndex()) == ChartKind::Waits;
    for (auto &r : m_shown) {
        r->analysis->update();
        const LoadSeries &load = r->analysis->load();
        end = std::max(end, double(load.buckets()) * double(load.bucketUs()) / 1e6);
        if (waits) // a pass over every wait: only when the waits are shown
            for (double w : r->analysis->delays().all())
                longestWait = std::max(longestWait, w);
    }
    QList<ComparisonTiles::Tile> tiles;
    for (std::size_t i = 0; i < m_shown.size(); ++i) {
        Shown &r = *m_shown[i];
        tiles.append({policyName(int(i)), policyColor(int(i)), r.analysis.get()});
        if (!waits) {
            const LoadSeries &load = r.analysis->load();
            r.series->replace(LoadChart::steps(load, LoadChart::Part::Total));
            peak = std::max(peak, double(load.peak()));
            continue;
        }
        // Every policy on the same bins, so the shapes compare.
        const DelayHistogram h = DelayHistogram::build(
            r.analysis->delays(), Backoff(r.policy.retry.backoff), 0, 40, 1e-3, longestWait);
        QList<QPointF> steps;
        for (std::size_t b = 0; b < h.counts.size(); ++b) {
            const double lo = double(b) * h.binMs;
            steps << QPointF(lo, double(h.counts[b])) << QPointF(lo + h.binMs, double(h.counts[b]));
            peak = std::max(peak, double(h.counts[b]));
        }
        r.series->replace(steps);
    }
    if (m_stack->currentIndex() == 1)
        m_tiles->refresh(tiles, end);
    const double capacity =
        m_shown.empty() || waits ? 0 : m_shown.front()->analysis->capacityPerBucket();
    m_capacity->replace(capacity > 0 ? QList<QPointF>{{0, capacity}, {end * 1.2, capacity}}
                                     : QList<QPointF>{});
    m_capacity->setVisible(capacity > 0);
    ChartPanel::setRoundRange(m_x, waits ? longestWait : end);
    ChartPanel::setCountRange(m_y, peak * 1.05);
}

void ComparisonView::fillTable()
{
    QList<ComparisonTable::Row> rows;
    for (std::size_t i = 0; i < m_shown.size(); ++i) {
        const int run = int(i);
        rows.append({policyName(run), policyColor(run), summary(run), !m_comparison->isDone(run),
                     m_shown[i]->analysis->sentLoad().peak()});
    }
    m_table->show(rows);
}

} // namespace retrylab
