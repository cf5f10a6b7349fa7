// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmarks for the notes, not tests: simulated attempts per second, bytes per attempt, and
// real-time lateness of waits at a given number of concurrent clients.
//   bench_engine sim [clients] [ops]
//   bench_engine real [clients] [ops] [shards]
// `real`: the clients against the built-in server (in its own thread), whose 503-then-success
// profile fails each key's first request; every retry's actual - planned wait is read back
// from the JSON Lines log the run streamed, as a person checking the figures would.
#include "engine/run_engine.h"
#include "engine/virtual_scheduler.h"
#include "fail_first_scenario.h"
#include "log/run_summary.h"
#include "run/engine_shards.h"
#include "run/run_controller.h"
#include "transport/simulated_transport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

Scenario base(int clients, int ops)
{
    Scenario s;
    s.clients = clients;
    s.operationsPerClient = ops;
    s.profile = *FaultProfile::ready(u"flaky-503"_s);
    s.profile.routes.front().retryAfter.on = {}; // backoff only: the waits are the policy's
    s.profile.routes.front().latency = {};
    s.profile.routes.front().latency.ms = 5;
    s.policy.retry.backoff = {BackoffKind::FullJitter, 50ms, 1s, 2.0, 0.0};
    s.policy.retry.totalBudget = 0s;
    s.seed = 1;
    return s;
}

int simulated(int clients, int ops)
{
    Scenario s = base(clients, ops);
    s.simulated = true;
    VirtualScheduler scheduler;
    AttemptLog log;
    SimulatedTransport transport(scheduler, s.profile, s.seed, NetworkDelay::fixed(1));
    RunEngine engine(s, scheduler, transport, log);
    QElapsedTimer t;
    t.start();
    engine.start();
    scheduler.run();
    const double seconds = static_cast<double>(t.nsecsElapsed()) / 1e9;
    std::printf("simulated: %d clients x %d operations: %zu attempts, %llu events in %.2f s "
                "= %.0f attempts/s (one core); %zu bytes per attempt record\n",
                clients, ops, log.size(), static_cast<unsigned long long>(scheduler.processed()),
                seconds, static_cast<double>(log.size()) / seconds, sizeof(AttemptRecord));
    return 0;
}

// Every retry's actual - planned wait in the JSON Lines log, in ms.
std::vector<double> latenessFromJsonl(const QString &path)
{
    std::vector<double> late;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return late;
    while (!f.atEnd()) {
        const QJsonObject o = QJsonDocument::fromJson(f.readLine()).object();
        if (o.value(u"kind"_s).toString() != u"attempt"_s || !o.contains(u"plannedDelayMs"_s))
            continue;
        late.push_back(o.value(u"actualDelayMs"_s).toDouble() -
                       o.value(u"plannedDelayMs"_s).toDouble());
    }
    std::sort(late.begin(), late.end());
    return late;
}

int real(int clients, int ops, int shards)
{
    Scenario s = failFirstScenario(clients, ops);
    s.name = u"wait precision"_s;
    QTemporaryDir dir;
    const QString jsonl = dir.filePath(u"log.jsonl"_s);
    RunController run;
    run.setShards(shards);
    QEventLoop loop;
    RunSummary summary;
    QObject::connect(&run, &RunController::runFinished, &loop, [&](const RunSummary &r) {
        summary = r;
        loop.quit();
    });
    QObject::connect(&run, &RunController::runFailed, &loop, [&](const QString &why) {
        std::fprintf(stderr, "failed: %s\n", qPrintable(why));
        loop.quit();
    });
    QElapsedTimer t;
    t.start();
    run.start(s, jsonl);
    loop.exec();
    const double seconds = double(t.elapsed()) / 1000.0;
    const std::vector<double> late = latenessFromJsonl(jsonl);
    const auto early = std::count_if(late.begin(), late.end(), [](double d) { return d < 0; });
    const auto q = [&late](double p) {
        return late.empty() ? 0.0 : late[std::min(late.size() - 1, std::size_t(p * late.size()))];
    };
    std::printf("real time, %d engine shard(s): %d clients x %d operations in %.1f s: %lld "
                "attempts (server saw %lld), p50 completion %.1f ms\n"
                "  actual - planned wait over %zu retries (JSON Lines): min %.3f ms, p50 %.3f ms, "
                "p90 %.3f ms, p99 %.3f ms, max %.3f ms; early: %lld\n",
                EngineShards::countFor(s, shards), clients, ops, seconds, summary.attemptsSent,
                summary.serverRequests, summary.p50Ms, late.size(), late.empty() ? 0 : late.front(),
                q(0.5), q(0.9), q(0.99), late.empty() ? 0 : late.back(), qint64(early));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const QString mode = args.value(1, u"sim"_s);
    const int clients = args.value(2, u"10000"_s).toInt();
    const int ops = args.value(3, u"100"_s).toInt();
    const int shards = args.value(4, u"0"_s).toInt();
    return mode == u"real"_s ? real(clients, ops, shards) : simulated(clients, ops);
}
