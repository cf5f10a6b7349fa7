// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/run_summary.h"
#include "scenario/scenario.h"

#include <QWidget>

#include <functional>
#include <memory>

class QComboBox;
class QLabel;
class QLineSeries;
class QPushButton;
class QStackedWidget;
class QTimer;
class QValueAxis;
class QChart;

namespace retrylab {

class ComparisonRun;
class ComparisonTable;
class ComparisonTiles;
class RunAnalysis;

// Comparison mode, shown: the policies picked in the slots run as a ComparisonRun (the same
// scenario once per policy, each against its own identically seeded server, at the same
// time); this view draws them. The server-load chart is overlaid (one colour per policy) or
// tiled, and a table lists per policy what a team asks first: operations succeeded, attempts,
// amplification, p50/p99 completion, peak server load.
class ComparisonView : public QWidget
{
    Q_OBJECT
public:
    explicit ComparisonView(QWidget *parent = nullptr);
    ~ComparisonView() override;

    // The scenario to run; its own "compare" list fills the slots.
    void setScenario(const Scenario &scenario);
    // Where start() gets the scenario's target, load and clock as they are edited now
    // (without one, the scenario last set).
    void setScenarioSource(std::function<std::optional<Scenario>()> source)
    {
        m_source = std::move(source);
    }
    // The policy in the editor, offered as "Policy being edited".
    void setEditedPolicy(const ClientPolicy &policy);
    // Chooses slot i's policy by its label in the slot's list (false when there is none).
    bool choose(int slot, const QString &label);

    void start();
    void stop();
    // Forgets the last comparison's runs, lines, tiles and table (not while one runs).
    void clear();
    bool isRunning() const;
    void setTiled(bool tiled);
    // Which chart to compare: server load or waits overlay or tile; the others tile.
    void setChartKind(int kind);
    ComparisonTiles *tiles() const { return m_tiles; }

    int runs() const { return int(m_shown.size()); }
    const RunAnalysis *analysis(int run) const;
    const RunSummary &summary(int run) const;
    QString policyName(int run) const;
    QList<QPointF> overlayPoints(int run) const; // run's line in the overlay, as drawn
    ComparisonTable *table() const { return m_table; }
    QWidget *picture() const; // the overlay or the tiles, whichever is shown
    static QColor policyColor(int run);

Q_SIGNALS:
    void finished();

private:
    struct Shown; // one run's analysis and overlay line
    void refresh();
    void fillTable();
    void runEnded(int run);
    void allEnded();
    std::optional<NamedPolicy> slotPolicy(int slot) const;
    void fillSlots();

    Scenario m_scenario;
    std::function<std::optional<Scenario>()> m_source;
    ClientPolicy m_edited;
    QList<QComboBox *> m_slots;
    QComboBox *m_layout = nullptr;
    QPushButton *m_run = nullptr;
    QLabel *m_status = nullptr;
    QStackedWidget *m_stack = nullptr;
    QChart *m_overlay = nullptr;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    QLineSeries *m_capacity = nullptr;
    QWidget *m_overlayView = nullptr;
    ComparisonTiles *m_tiles = nullptr;
    QComboBox *m_kind = nullptr;
    ComparisonTable *m_table = nullptr;
    QTimer *m_timer = nullptr;
    std::unique_ptr<ComparisonRun> m_comparison;
    std::vector<std::unique_ptr<Shown>> m_shown;
};

} // namespace retrylab
