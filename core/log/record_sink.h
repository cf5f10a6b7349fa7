// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "attempt_record.h"

#include <QString>

#include <cstdint>

namespace retrylab {

// Where an engine puts what it records: the run's AttemptLog itself, or the segment of one
// engine shard on its way into that log (log_segment.h). Called from one thread at a time.
class RecordSink
{
public:
    virtual ~RecordSink() = default;
    virtual void append(const AttemptRecord &r) = 0;
    virtual void appendBreaker(const BreakerRecord &r) = 0;
    // Index of a string in the run's string table; "" is 0. Safe from any thread.
    virtual std::uint32_t intern(const QString &s) = 0;
    // Records in the run's log so far.
    virtual std::size_t size() const = 0;
};

} // namespace retrylab
