// SPDX-License-Identifier: GPL-3.0-or-later
#include "contention_grid.h"

#include "contention_trial.h"
#include "study_fields.h"

#include <QJsonObject>

#include <algorithm>
#include <mutex>
#include <thread>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

// The p-th quantile of `v` (sorted here), linear between order statistics.
double quantile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    const double pos = p * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(pos);
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

double mean(const std::vector<double> &v)
{
    double sum = 0;
    for (const double x : v)
        sum += x;
    return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
}

// A cell's numbers from its trials, in trial order.
GridCell aggregate(const StudyCellSpec &spec, const TrialResult *trials, int count)
{
    GridCell cell;
    cell.field = spec.field;
    cell.value = spec.value;
    cell.clients = spec.scenario.clients;
    cell.strategy = spec.strategy;
    cell.trials = count;
    std::vector<double> calls, done, latency;
    for (int t = 0; t < count; ++t) {
        calls.push_back(static_cast<double>(trials[t].calls));
        done.push_back(static_cast<double>(trials[t].makespanUs) / 1000.0);
        latency.push_back(trials[t].meanLatencyUs / 1000.0);
        cell.gaveUp += trials[t].gaveUp;
        cell.mostAttempts = std::max(cell.mostAttempts, trials[t].mostAttempts);
    }
    cell.meanCalls = mean(calls);
    cell.p10Calls = quantile(calls, 0.1);
    cell.p90Calls = quantile(calls, 0.9);
    cell.meanCompletionMs = mean(done);
    cell.p10CompletionMs = quantile(done, 0.1);
    cell.p90CompletionMs = quantile(done, 0.9);
    cell.worstCompletionMs = done.empty() ? 0.0 : *std::max_element(done.begin(), done.end());
    cell.meanClientLatencyMs = mean(latency);
    return cell;
}

// Trials are numbered cell by cell; workers take the next one until none is left. A cell is
// summed by whichever worker finishes its last trial, from the results in trial order, so
// the numbers do not depend on which thread ran what.
class StudyRun
{
public:
    StudyRun(const QList<StudyCellSpec> &cells, const StudyOptions &o)
        : m_cells(cells)
        , m_o(o)
        , m_trials(std::max(1, o.trials))
        , m_results(static_cast<std::size_t>(cells.size()) * std::size_t(m_trials))
        , m_pending(static_cast<std::size_t>(cells.size()))
        , m_out(cells.size())
        , m_finished(static_cast<std::size_t>(cells.size()), false)
    {
        for (auto &p : m_pending)
            p.store(m_trials);
        for (const auto &c : cells)
            m_models.push_back(ContentionModel::fromScenario(c.scenario));
    }

    QList<GridCell> run()
    {
        const int hardware = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        const int jobs =
            std::clamp(m_o.jobs > 0 ? m_o.jobs : hardware, 1, std::max(1, int(m_results.size())));
        std::vector<std::thread> workers;
        for (int j = 1; j < jobs; ++j)
            workers.emplace_back([this] { work(); });
        work();
        for (auto &w : workers)
            w.join();
        QList<GridCell> done;
        for (qsizetype i = 0; i < m_out.size(); ++i)
            if (m_finished[std::size_t(i)])
                done << m_out[i];
        return done;
    }

private:
    void work()
    {
        const std::size_t total = m_results.size();
        for (std::size_t k = m_next++; k < total; k = m_next++) {
            if (m_o.cancel && m_o.cancel->load(std::memory_order_relaxed))
                return;
            const std::size_t cell = k / std::size_t(m_trials);
            const auto trial = static_cast<std::uint64_t>(k % std::size_t(m_trials));
            m_results[k] =
                runContentionTrial(m_models[cell], m_cells[qsizetype(cell)].scenario.seed + trial);
            if (m_pending[cell].fetch_sub(1, std::memory_order_acq_rel) == 1)
                finish(cell);
        }
    }

    void finish(std::size_t cell)
    {
        const GridCell c =
            aggregate(m_cells[qsizetype(cell)], &m_results[cell * std::size_t(m_trials)], m_trials);
        const std::lock_guard lock(m_mutex);
        m_out[qsizetype(cell)] = c;
        m_finished[cell] = true;
        if (m_o.cellDone)
            m_o.cellDone(int(cell), c);
    }

    const QList<StudyCellSpec> &m_cells;
    const StudyOptions &m_o;
    const int m_trials;
    std::vector<ContentionModel> m_models;
    std::vector<TrialResult> m_results;
    std::vector<std::atomic<int>> m_pending;
    std::atomic<std::size_t> m_next{0};
    std::mutex m_mutex;
    QList<GridCell> m_out;
    std::vector<bool> m_finished;
};

} // namespace

QList<GridCell> runStudy(const QList<StudyCellSpec> &cells, const StudyOptions &options)
{
    return StudyRun(cells, options).run();
}

QList<GridCell> runContentionGrid(const Scenario &base, const QList<int> &clientCounts,
                                  const QList<BackoffKind> &strategies, int trials, int jobs)
{
    StudyOptions o;
    o.trials = trials;
    o.jobs = jobs;
    QList<double> values;
    for (const int n : clientCounts)
        values << n;
    QStringList ids;
    for (const BackoffKind kind : strategies)
        ids << Backoff::id(kind);
    return runStudy(
        studyCells(base, u"clients"_s, values, ids, nullptr).value_or(QList<StudyCellSpec>()), o);
}

std::vector<qint64> contentionWriteTimes(const Scenario &scenario, std::uint64_t seed)
{
    std::vector<qint64> writes;
    runContentionTrial(ContentionModel::fromScenario(scenario), seed, &writes);
    return writes;
}

QString gridTable(const QList<GridCell> &cells)
{
    const QString field = cells.isEmpty() ? u"clients"_s : cells.first().field;
    QStringList lines{u"%1  strategy                 trials   calls (mean, p10–p90)     "
                      "completion ms (mean, p10–p90)   per-client ms"_s.arg(field, 9)};
    for (const auto &c : cells)
        lines << u"%1  %2  %3  %4  %5  %6"_s.arg(QString::number(c.value, 'g', 6), 9)
                     .arg(c.strategy, -23)
                     .arg(c.trials, 6)
                     .arg(u"%1 (%2–%3)"_s.arg(QString::number(c.meanCalls, 'f', 1),
                                              QString::number(c.p10Calls, 'f', 0),
                                              QString::number(c.p90Calls, 'f', 0)),
                          -24)
                     .arg(u"%1 (%2–%3)"_s.arg(QString::number(c.meanCompletionMs, 'f', 1),
                                              QString::number(c.p10CompletionMs, 'f', 0),
                                              QString::number(c.p90CompletionMs, 'f', 0)),
                          -30)
                     .arg(QString::number(c.meanClientLatencyMs, 'f', 1), 13);
    return lines.join(u'\n');
}

QJsonArray gridJson(const QList<GridCell> &cells)
{
    QJsonArray a;
    for (const auto &c : cells) {
        QJsonObject o{{u"clients"_s, c.clients},
                      {u"strategy"_s, c.strategy},
                      {u"trials"_s, c.trials},
                      {u"meanCalls"_s, c.meanCalls},
                      {u"p10Calls"_s, c.p10Calls},
                      {u"p90Calls"_s, c.p90Calls},
                      {u"meanCompletionMs"_s, c.meanCompletionMs},
                      {u"p10CompletionMs"_s, c.p10CompletionMs},
                      {u"p90CompletionMs"_s, c.p90CompletionMs},
                      {u"worstCompletionMs"_s, c.worstCompletionMs},
                      {u"meanClientLatencyMs"_s, c.meanClientLatencyMs},
                      {u"gaveUp"_s, c.gaveUp},
                      {u"mostAttempts"_s, c.mostAttempts}};
        if (c.field != u"clients"_s) {
            o.insert(u"field"_s, c.field);
            o.insert(u"value"_s, c.value);
        }
        a.append(o);
    }
    return a;
}

QString gridCsv(const QList<GridCell> &cells)
{
    QString out = u"field,value,clients,strategy,trials,meanCalls,p10Calls,p90Calls,"
                  "meanCompletionMs,p10CompletionMs,p90CompletionMs,worstCompletionMs,"
                  "meanClientLatencyMs,gaveUp,mostAttempts\n"_s;
    const auto n = [](double v) {
        return QString::number(v, 'g', 10);
    };
    for (const auto &c : cells)
        out += QStringList{c.field,
                           n(c.value),
                           QString::number(c.clients),
                           c.strategy,
                           QString::number(c.trials),
                           n(c.meanCalls),
                           n(c.p10Calls),
                           n(c.p90Calls),
                           n(c.meanCompletionMs),
                           n(c.p10CompletionMs),
                           n(c.p90CompletionMs),
                           n(c.worstCompletionMs),
                           n(c.meanClientLatencyMs),
                           QString::number(c.gaveUp),
                           QString::number(c.mostAttempts)}
                   .join(u',') +
               u'\n';
    return out;
}

} // namespace retrylab
