// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmarks for the notes, not tests: simulated attempts per second, bytes per attempt, and
// real-time lateness of waits at a given number of concurrent clients.
//   bench_engine sim [clients] [ops]
//   bench_engine real [clients] [ops]
#include "engine/run_engine.h"
#include "engine/virtual_scheduler.h"
#include "log/run_summary.h"
#include "run/run_controller.h"
#include "transport/simulated_transport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>

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

int real(int clients, int ops)
{
    Scenario s = base(clients, ops);
    RunController run;
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
    run.start(s);
    loop.exec();
    std::vector<double> late;
    qint64 early = 0;
    run.log()->forEach([&](const AttemptRecord &r) {
        if (r.plannedDelayUs < 0)
            return;
        late.push_back(static_cast<double>(r.actualDelayUs - r.plannedDelayUs) / 1000.0);
        early += r.actualDelayUs < r.plannedDelayUs;
    });
    std::sort(late.begin(), late.end());
    const auto q = [&late](double p) {
        return late.empty() ? 0.0 : late[std::min(late.size() - 1, std::size_t(p * late.size()))];
    };
    std::printf("real time: %d clients x %d operations in %.1f s: %lld attempts, %lld "
                "operations, p99 completion %.0f ms\n"
                "  actual - planned wait over %zu retries: min %.2f ms, p50 %.2f ms, p90 %.2f ms, "
                "p99 %.2f ms, max %.2f ms; early: %lld\n",
                clients, ops, t.elapsed() / 1000.0, summary.attemptsSent, summary.operations,
                summary.p99Ms, late.size(), late.empty() ? 0 : late.front(), q(0.5), q(0.9),
                q(0.99), late.empty() ? 0 : late.back(), early);
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
    return mode == u"real"_s ? real(clients, ops) : simulated(clients, ops);
}
