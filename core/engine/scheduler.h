// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"

#include <functional>

namespace retrylab {

// When things happen: the one seam between real and simulated time. The engine asks only
// this for the time and for callbacks, so the same policy code runs on either clock.
class Scheduler : public Clock
{
public:
    // Runs `fn` at `when` (or as soon as possible if that has passed), never earlier. Returns
    // a ticket for drop(), or 0 where callbacks are never dropped.
    virtual std::uint64_t at(Duration when, std::function<void()> fn) = 0;
    // The callback of `ticket`, which has not run yet, is no longer needed: a per-attempt
    // timeout whose attempt answered. Real time lets it go, so that it neither wakes the
    // thread nor sets the timer at its deadline; virtual time runs it anyway, so it must find
    // nothing to do then.
    virtual void drop(std::uint64_t ticket) { (void)ticket; }
    // Runs, now, the callbacks whose time has already come. Real time calls this between
    // pieces of other work (each answer the engine handles), so that a long batch of socket
    // events does not hold back the waits that came due meanwhile. Virtual time has nothing
    // to catch up: its callbacks are the events.
    virtual void catchUp() {}
};

} // namespace retrylab
