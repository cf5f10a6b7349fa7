// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A scenario run to the end in virtual time against the model of the built-in server, with
// the server's journal added to the log as the run worker adds it: what the core's analysis
// and export tests read.
#include "analysis/summary_tally.h"
#include "engine/run_engine.h"
#include "engine/virtual_scheduler.h"
#include "log/run_summary.h"
#include "transport/simulated_transport.h"

#include <memory>

struct SimRun {
    explicit SimRun(const retrylab::Scenario &s, const retrylab::AttemptLog::RunInfo &info = {})
        : transport(scheduler, s.profile, s.seed, s.networkDelay)
        , engine(s, scheduler, transport, log)
    {
        log.setRunInfo(info);
        engine.start();
        scheduler.run();
        log.appendJournal(transport.journal().since(0));
    }
    retrylab::RunSummary summary() const { return retrylab::SummaryTally::of(log); }
    // The log for readers that share ownership (it lives as long as this run).
    std::shared_ptr<const retrylab::AttemptLog> shared() const
    {
        return {std::shared_ptr<void>(), &log};
    }

    retrylab::VirtualScheduler scheduler;
    retrylab::AttemptLog log;
    retrylab::SimulatedTransport transport;
    retrylab::RunEngine engine;
};
