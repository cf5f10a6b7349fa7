// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/contention_grid.h"

#include <QWidget>

#include <atomic>
#include <memory>

class QComboBox;
class QElapsedTimer;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QThread;

namespace retrylab {

class StudyCharts;

// The Study tab: pick a ready study (a contention scenario), the field to sweep and its
// values, the strategies and the trials; Run fills the plots cell by cell while the study
// runs on a thread of its own (core/run/contention_grid.h); Cancel stops it. GUI thread only.
class StudyPage : public QWidget
{
    Q_OBJECT
public:
    explicit StudyPage(QWidget *parent = nullptr);
    ~StudyPage() override;

    // Chooses a ready study by its file name without ".json" ("aws-jitter-study").
    bool selectStudy(const QString &name);
    void setField(const QString &field, const QString &values);
    void setStrategies(const QStringList &ids);
    void setTrials(int trials);
    void run();
    void cancel();
    bool isRunning() const { return m_thread != nullptr; }
    StudyCharts *charts() const { return m_charts; }
    // The cell whose writes the clusters plot shows: strategy at a value of the field.
    void showClusters(const QString &strategy, double value);

Q_SIGNALS:
    void finished(int cells);

private:
    void buildControls();
    void studyChosen();
    void cellArrived(const GridCell &cell);
    void runEnded(qint64 elapsedMs);
    void exportFiles();
    QStringList checkedStrategies() const;

    QComboBox *m_study = nullptr;
    QComboBox *m_field = nullptr;
    QLineEdit *m_values = nullptr;
    QListWidget *m_strategies = nullptr;
    QSpinBox *m_trials = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_export = nullptr;
    QComboBox *m_clusterCell = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    StudyCharts *m_charts = nullptr;

    QList<StudyCellSpec> m_cells;
    QThread *m_thread = nullptr;
    std::shared_ptr<std::atomic<bool>> m_stop;
    int m_job = 0; // drops cells of a study that was cancelled and replaced
};

} // namespace retrylab
