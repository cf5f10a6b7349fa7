// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log_segment.h"

#include <deque>
#include <vector>

namespace retrylab {

// Puts the records of several engine shards into the run's one log, in time order: attempts
// by the time they finished, breaker changes by their time (log/README.md, "Shards"). A record
// is placed only once every shard has settled past its time, so a slower shard can never
// have an earlier record still to come. Called from one thread (the run's worker).
class SegmentMerger
{
public:
    SegmentMerger(AttemptLog &log, std::vector<LogSegment *> segments);

    // Moves what can be placed in order now; returns how many attempt records it placed.
    std::size_t merge();
    // Records taken from the segments but not placed yet.
    std::size_t held() const;

private:
    struct Held {
        std::deque<AttemptRecord> records;
        std::deque<BreakerRecord> breakers;
        qint64 settledUs = -1;
        std::vector<std::uint32_t> globalIndex{0}; // the segment's string index → the log's
        LogSegment::Batch spent; // the last batch taken, given back at the next take
    };
    static void translate(const Held &h, AttemptRecord &r);
    qint64 settled() const;
    std::size_t placeRecords(qint64 until);
    void placeBreakers(qint64 until);

    AttemptLog &m_log;
    std::vector<LogSegment *> m_segments;
    std::vector<Held> m_held; // one per segment
};

} // namespace retrylab
