// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "attempt_record.h"
#include "base/limits.h"
#include "mock/request_journal.h"
#include "record_sink.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMutex>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <atomic>
#include <memory>
#include <vector>

namespace retrylab {

// The append-only log of a run. One writer (the engine's thread) appends; any thread reads a
// snapshot without stopping it: records sit in fixed chunks that never move, and the count of
// finished records is published atomically after each append. A cap bounds memory; what
// does not fit is counted as dropped.
class AttemptLog final : public RecordSink
{
public:
    static constexpr std::size_t kChunk = 4096;

    explicit AttemptLog(std::size_t cap = limits::kDefaultRecords);

    // Writer side.
    void append(const AttemptRecord &r) override;
    void appendBreaker(const BreakerRecord &r) override;
    // The built-in server's own view of the run, added when the run ends.
    void appendJournal(std::vector<JournalEntry> entries);
    // While the run goes on: when requests reached the built-in server (for the live load
    // chart; the full journal, with each request's outcome, comes at the end).
    using Arrival = ArrivalFeed::Arrival;
    void appendArrivals(const std::vector<Arrival> &arrivals);
    std::vector<Arrival> arrivalsSince(std::size_t index) const;
    std::size_t arrivalCount() const;
    std::uint32_t intern(const QString &s) override; // index of a string; "" is 0; any thread

    // What was run, against what, and when: exports need it (HAR's URLs and dates, the
    // report's scenario); a log read back from a file gets it from the file.
    struct RunInfo {
        QJsonObject scenario;
        QUrl target;
        QDateTime startedAt;
        QString threads; // where a real-time run kept its threads (system/core_placement.h)
    };
    void setRunInfo(const RunInfo &info);
    RunInfo runInfo() const;

    // Reader side: safe from any thread.
    std::size_t size() const override { return m_count.load(std::memory_order_acquire); }
    AttemptRecord at(std::size_t i) const;
    // Calls f for records [from, size()) as they are now.
    template<typename F> void forEach(F &&f, std::size_t from = 0) const
    {
        const std::size_t n = size();
        std::vector<const AttemptRecord *> chunks = chunkPointers();
        for (std::size_t i = from; i < n; ++i)
            f(chunks[i / kChunk][i % kChunk]);
    }
    std::vector<BreakerRecord> breakerRecords() const;
    std::vector<JournalEntry> journalRecords() const;
    std::size_t journalSize() const;
    std::size_t breakerCount() const;
    QString string(std::uint32_t index) const;
    std::size_t dropped() const { return m_dropped.load(std::memory_order_relaxed); }
    std::size_t cap() const { return m_cap; }
    std::size_t bytesPerRecord() const { return sizeof(AttemptRecord); }

private:
    std::vector<const AttemptRecord *> chunkPointers() const;

    std::size_t m_cap;
    std::vector<std::unique_ptr<AttemptRecord[]>> m_chunks;
    std::atomic<std::size_t> m_count{0};
    std::atomic<std::size_t> m_dropped{0};
    mutable QMutex m_mutex; // guards the chunk list, the breaker records and the strings
    std::vector<BreakerRecord> m_breakers;
    std::vector<JournalEntry> m_journal;
    std::vector<Arrival> m_arrivals;
    QStringList m_strings{QString()};
    RunInfo m_runInfo;
    QHash<QString, std::uint32_t> m_stringIndex;
};

} // namespace retrylab
