// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "attempt_log.h"

#include <QHash>
#include <QMutex>
#include <QStringList>

#include <vector>

namespace retrylab {

// What one engine shard recorded and the run's log has not taken yet (log/README.md,
// "Shards"). The shard's thread appends; the thread that merges takes everything in one go.
// Strings go into the segment's own table, without a lock the log's readers also take; the
// merger puts them into the run's table and translates the records' indices as it takes them.
// A shard also says how far its records are complete: after settle(t), nothing it appends
// finished before t, so a merger may place every record up to t without waiting for more.
class LogSegment final : public RecordSink
{
public:
    explicit LogSegment(AttemptLog &log)
        : m_log(log)
    {
        m_index.reserve(kIndexCap);
    }

    // The shard's thread.
    void append(const AttemptRecord &r) override;
    void appendBreaker(const BreakerRecord &r) override;
    std::uint32_t intern(const QString &s) override; // an index in the segment's own table
    // Records merged into the run's log so far (the shard's own are not counted until then).
    std::size_t size() const override { return m_log.size(); }
    void settle(qint64 us);
    // The shard will record nothing more.
    void close();

    // The merging thread.
    struct Batch {
        std::vector<AttemptRecord> records; // in the order they were appended
        std::vector<BreakerRecord> breakers;
        QStringList strings;   // interned since the last take, in index order
        qint64 settledUs = -1; // every later record finishes at this time or after
    };
    // Hands over everything appended since the last take. `spent` is the batch taken before,
    // done with: its emptied containers become the segment's to fill, so memory the shard's
    // thread allocated is reused there and never freed by this thread (log/README.md, "Shards").
    Batch take(Batch spent);

private:
    // Strings the segment remembers having interned: a run with a key per operation interns
    // one more string for every operation, and a table that grew with them would stop the
    // shard's thread for milliseconds each time it doubled (log/README.md, "Shards").
    static constexpr qsizetype kIndexCap = 8192;

    AttemptLog &m_log;
    QHash<QString, std::uint32_t> m_index; // the shard's thread alone
    std::uint32_t m_strings = 1;           // 0 is ""
    QMutex m_mutex;
    Batch m_pending;
};

} // namespace retrylab
