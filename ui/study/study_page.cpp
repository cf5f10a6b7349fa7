// SPDX-License-Identifier: GPL-3.0-or-later
#include "study_page.h"

#include "charts/study_charts.h"
#include "run/study_fields.h"

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

// The ready scenarios that are studies: those with the contention model on.
QList<std::pair<QString, Scenario>> readyStudies()
{
    QList<std::pair<QString, Scenario>> out;
    for (const QString &file : QDir(u":/scenarios"_s).entryList({u"*.json"_s})) {
        QString error;
        const auto s = Scenario::load(u":/scenarios/"_s + file, &error);
        if (s && s->contention)
            out.append({file.chopped(5), *s});
    }
    // The AWS study first: it is the one the tab is for.
    std::stable_sort(out.begin(), out.end(),
                     [](const auto &a, const auto &) { return a.first == u"aws-jitter-study"_s; });
    return out;
}

} // namespace

StudyPage::StudyPage(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"studyPage"_s);
    buildControls();
    studyChosen();
}

StudyPage::~StudyPage()
{
    // The worker reports to this page: it must have ended before the page goes.
    if (m_stop)
        m_stop->store(true);
    if (m_thread)
        m_thread->wait();
}

void StudyPage::buildControls()
{
    auto *form = new QFormLayout;
    m_study = new QComboBox;
    m_study->setObjectName(u"study"_s);
    for (const auto &[name, s] : readyStudies())
        m_study->addItem(s.name, name);
    form->addRow(tr("Study"), m_study);
    m_field = new QComboBox;
    m_field->setObjectName(u"studyField"_s);
    for (const StudyField &f : studyFields())
        m_field->addItem(f.title, f.id);
    m_values = new QLineEdit(u"10..190/10"_s);
    m_values->setObjectName(u"studyValues"_s);
    m_values->setToolTip(tr("Values, comma-separated, or a range: 10..190/10"));
    auto *sweep = new QHBoxLayout;
    sweep->addWidget(m_field);
    sweep->addWidget(m_values, 1);
    form->addRow(tr("Sweep"), sweep);
    m_trials = new QSpinBox;
    m_trials->setObjectName(u"studyTrials"_s);
    m_trials->setRange(1, 10000);
    m_trials->setValue(100);
    form->addRow(tr("Trials per cell"), m_trials);
    m_strategies = new QListWidget;
    m_strategies->setObjectName(u"studyStrategies"_s);
    m_strategies->setMaximumHeight(96);
    // The blog's five first, then the libraries' formulas.
    QStringList ids = awsStrategies();
    for (const QString &id : Backoff::ids())
        if (!ids.contains(id))
            ids << id;
    for (const QString &id : std::as_const(ids)) {
        auto *item = new QListWidgetItem(Backoff::title(*Backoff::kindFromId(id)), m_strategies);
        item->setData(Qt::UserRole, id);
        item->setCheckState(awsStrategies().contains(id) ? Qt::Checked : Qt::Unchecked);
    }
    m_run = new QPushButton(tr("Run"));
    m_cancel = new QPushButton(tr("Cancel"));
    m_export = new QPushButton(tr("Export…"));
    m_cancel->setEnabled(false);
    m_progress = new QProgressBar;
    m_clusterCell = new QComboBox;
    m_clusterCell->setObjectName(u"clusterCell"_s);
    m_clusterCell->setToolTip(tr("The cell whose writes per 10 ms are drawn"));
    m_clusterCell->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_clusterCell->setMinimumContentsLength(28);
    m_status = new QLabel;
    m_status->setObjectName(u"studyStatus"_s);
    auto *buttons = new QHBoxLayout;
    for (QWidget *w : {static_cast<QWidget *>(m_run), static_cast<QWidget *>(m_cancel),
                       static_cast<QWidget *>(m_progress), static_cast<QWidget *>(m_clusterCell),
                       static_cast<QWidget *>(m_export)})
        buttons->addWidget(w);
    auto *top = new QHBoxLayout;
    top->addLayout(form, 3);
    top->addWidget(m_strategies, 2);
    m_charts = new StudyCharts;
    auto *column = new QVBoxLayout(this);
    column->addLayout(top);
    column->addLayout(buttons);
    column->addWidget(m_status);
    column->addWidget(m_charts, 1);
    connect(m_study, &QComboBox::currentIndexChanged, this, &StudyPage::studyChosen);
    connect(m_run, &QPushButton::clicked, this, &StudyPage::run);
    connect(m_cancel, &QPushButton::clicked, this, &StudyPage::cancel);
    connect(m_export, &QPushButton::clicked, this, &StudyPage::exportFiles);
    connect(m_clusterCell, &QComboBox::activated, this, [this](int index) {
        const auto [strategy, value] =
            m_clusterCell->itemData(index).value<QPair<QString, double>>();
        showClusters(strategy, value);
    });
}

void StudyPage::studyChosen()
{
    m_status->setText(tr("%1: press Run.").arg(m_study->currentText()));
}

bool StudyPage::selectStudy(const QString &name)
{
    const int i = m_study->findData(name);
    if (i >= 0)
        m_study->setCurrentIndex(i);
    return i >= 0;
}

void StudyPage::setField(const QString &field, const QString &values)
{
    m_field->setCurrentIndex(m_field->findData(field));
    m_values->setText(values);
}

void StudyPage::setStrategies(const QStringList &ids)
{
    for (int i = 0; i < m_strategies->count(); ++i) {
        QListWidgetItem *item = m_strategies->item(i);
        item->setCheckState(ids.contains(item->data(Qt::UserRole).toString()) ? Qt::Checked
                                                                              : Qt::Unchecked);
    }
}

void StudyPage::setTrials(int trials)
{
    m_trials->setValue(trials);
}

QStringList StudyPage::checkedStrategies() const
{
    QStringList ids;
    for (int i = 0; i < m_strategies->count(); ++i)
        if (m_strategies->item(i)->checkState() == Qt::Checked)
            ids << m_strategies->item(i)->data(Qt::UserRole).toString();
    return ids;
}

void StudyPage::run()
{
    if (m_thread)
        return;
    QString error;
    const auto base =
        Scenario::load(u":/scenarios/%1.json"_s.arg(m_study->currentData().toString()), &error);
    const auto values = parseStudyValues(m_values->text(), &error);
    const QString field = m_field->currentData().toString();
    const auto cells = base && values
                           ? studyCells(*base, field, *values, checkedStrategies(), &error)
                           : std::nullopt;
    if (!cells || cells->isEmpty()) {
        m_status->setText(error.isEmpty() ? tr("Pick at least one strategy.") : error);
        return;
    }
    m_cells = *cells;
    m_charts->clear(m_field->currentText());
    m_clusterCell->clear();
    m_progress->setRange(0, int(m_cells.size()));
    m_progress->setValue(0);
    m_run->setEnabled(false);
    m_cancel->setEnabled(true);
    m_stop = std::make_shared<std::atomic<bool>>(false);
    const int job = ++m_job;
    StudyOptions options;
    options.trials = m_trials->value();
    options.cancel = m_stop.get();
    QPointer<StudyPage> page(this);
    // Cells come back to the GUI thread by queued calls; a replaced study's are dropped.
    options.cellDone = [page, job](int, const GridCell &cell) {
        QMetaObject::invokeMethod(
            page,
            [page, job, cell] {
                if (page && page->m_job == job)
                    page->cellArrived(cell);
            },
            Qt::QueuedConnection);
    };
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    m_thread =
        QThread::create([cells = m_cells, options, stop = m_stop] { runStudy(cells, options); });
    connect(m_thread, &QThread::finished, this, [this, clock] { runEnded(clock->elapsed()); });
    m_thread->start();
    m_status->setText(tr("Running %1 cells × %2 trials…").arg(m_cells.size()).arg(options.trials));
}

void StudyPage::cancel()
{
    if (m_stop)
        m_stop->store(true);
}

void StudyPage::cellArrived(const GridCell &cell)
{
    m_charts->addCell(cell);
    m_progress->setValue(m_progress->value() + 1);
    m_clusterCell->addItem(tr("clusters: %1 at %2").arg(cell.strategy, QString::number(cell.value)),
                           QVariant::fromValue(QPair<QString, double>(cell.strategy, cell.value)));
}

void StudyPage::runEnded(qint64 elapsedMs)
{
    m_thread->deleteLater();
    m_thread = nullptr;
    m_run->setEnabled(true);
    m_cancel->setEnabled(false);
    const bool cancelled = m_stop && m_stop->load();
    const int done = m_progress->value();
    m_status->setText(
        (cancelled ? tr("Cancelled: %1 of %2 cells in %3 s.") : tr("%1 of %2 cells in %3 s."))
            .arg(done)
            .arg(m_cells.size())
            .arg(elapsedMs / 1000.0, 0, 'f', 1));
    // The blog's clusters: exponential backoff without jitter, at the largest value swept.
    const QStringList order{u"exponential"_s, u"none"_s};
    for (const QString &strategy : order) {
        double top = -1;
        for (const GridCell &c : m_charts->cells())
            if (c.strategy == strategy)
                top = std::max(top, c.value);
        if (top >= 0) {
            showClusters(strategy, top);
            break;
        }
    }
    Q_EMIT finished(done);
}

void StudyPage::showClusters(const QString &strategy, double value)
{
    for (const StudyCellSpec &c : std::as_const(m_cells)) {
        if (c.strategy == strategy && c.value == value) {
            const int item = m_clusterCell->findData(
                QVariant::fromValue(QPair<QString, double>(strategy, value)));
            if (item >= 0)
                m_clusterCell->setCurrentIndex(item);
            m_charts->setClusters(
                tr("%1 at %2 = %3").arg(strategy, c.field, QString::number(value)),
                contentionWriteTimes(c.scenario, c.scenario.seed));
            return;
        }
    }
}

void StudyPage::exportFiles()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export the study to"));
    if (dir.isEmpty())
        return;
    QString error;
    const QStringList files = m_charts->exportTo(dir, &error);
    m_status->setText(files.isEmpty() ? error
                                      : tr("Wrote %1 files in %2").arg(files.size()).arg(dir));
}

} // namespace retrylab
