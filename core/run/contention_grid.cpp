// SPDX-License-Identifier: GPL-3.0-or-later
#include "contention_grid.h"

#include "engine/run_engine.h"
#include "engine/virtual_scheduler.h"
#include "transport/simulated_transport.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace retrylab {

QList<GridCell> runContentionGrid(const Scenario &base, const QList<int> &clientCounts,
                                  const QList<BackoffKind> &strategies, int trials)
{
    QList<GridCell> cells;
    for (const int clients : clientCounts) {
        for (const BackoffKind kind : strategies) {
            GridCell cell{clients, kind, trials, 0, 0, 0};
            for (int t = 0; t < trials; ++t) {
                Scenario s = base;
                s.simulated = true;
                s.contention = true;
                s.clients = clients;
                s.operationsPerClient = 1;
                s.arrivalRatePerSecond = 0;
                s.policy.retry.backoff.kind = kind;
                if (!s.policy.retry.retryableStatuses.contains(409))
                    s.policy.retry.retryableStatuses << 409; // a lost write race is retried
                s.seed = base.seed + static_cast<std::uint64_t>(t);
                VirtualScheduler scheduler;
                AttemptLog log;
                SimulatedTransport transport(scheduler, s.profile, s.seed, s.networkDelay, true);
                RunEngine engine(s, scheduler, transport, log);
                engine.start();
                scheduler.run();
                qint64 last = 0;
                log.forEach(
                    [&last](const AttemptRecord &r) { last = std::max(last, r.finishedUs); });
                cell.meanCalls += static_cast<double>(log.size()) / trials;
                cell.meanCompletionMs += last / 1000.0 / trials;
                cell.worstCompletionMs = std::max(cell.worstCompletionMs, last / 1000.0);
            }
            cells << cell;
        }
    }
    return cells;
}

QString gridTable(const QList<GridCell> &cells)
{
    QStringList lines{
        u"clients  strategy                 trials   calls (mean)   completion ms (mean, worst)"_s};
    for (const auto &c : cells)
        lines << u"%1  %2  %3  %4  %5, %6"_s.arg(c.clients, 7)
                     .arg(Backoff::id(c.strategy), -23)
                     .arg(c.trials, 6)
                     .arg(QString::number(c.meanCalls, 'f', 1), 13)
                     .arg(QString::number(c.meanCompletionMs, 'f', 1), 14)
                     .arg(QString::number(c.worstCompletionMs, 'f', 1));
    return lines.join(u'\n');
}

QJsonArray gridJson(const QList<GridCell> &cells)
{
    QJsonArray a;
    for (const auto &c : cells)
        a.append(QJsonObject{{u"clients"_s, c.clients},
                             {u"strategy"_s, Backoff::id(c.strategy)},
                             {u"trials"_s, c.trials},
                             {u"meanCalls"_s, c.meanCalls},
                             {u"meanCompletionMs"_s, c.meanCompletionMs},
                             {u"worstCompletionMs"_s, c.worstCompletionMs}});
    return a;
}

} // namespace retrylab
