// SPDX-License-Identifier: GPL-3.0-or-later
// A benchmark for the notes, not a test: simulated attempts per second of the lean contention
// model (run/contention_trial.h), one core, on the AWS jitter study.
//   bench_study [clients] [trials] [strategy]
#include "run/contention_trial.h"
#include "scenario/scenario.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

using namespace retrylab;
using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const int clients = args.value(1, u"100"_s).toInt();
    const int trials = args.value(2, u"200"_s).toInt();
    const QString strategy = args.value(3, u"full-jitter"_s);
    QString error;
    auto s = Scenario::load(u":/scenarios/aws-jitter-study.json"_s, &error);
    const auto kind = Backoff::kindFromId(strategy);
    if (!s || !kind) {
        std::fprintf(stderr, "bench_study: %s\n", qPrintable(s ? strategy : error));
        return 2;
    }
    s->clients = clients;
    s->policy.retry.backoff.kind = *kind;
    const ContentionModel model = ContentionModel::fromScenario(*s);
    qint64 reads = 0, writes = 0;
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < trials; ++i) {
        const TrialResult r = runContentionTrial(model, s->seed + std::uint64_t(i));
        reads += r.reads;
        writes += r.calls;
    }
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    std::printf("%s, %d clients, %d trials: %lld attempts (%lld conditional writes) in %.3f s = "
                "%.0f attempts/s on one core\n",
                qPrintable(strategy), clients, trials, reads, writes, seconds,
                double(reads) / seconds);
    return 0;
}
