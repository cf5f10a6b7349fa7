// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/attempt_record.h"
#include "mock/request_journal.h"

#include <vector>

namespace retrylab {

// Requests per time bucket (100 ms by default), split into first attempts and retries: where a
// thundering herd shows up. Built from the server's journal when the server is the built-in
// one (what arrived), or from the client's log otherwise (what was sent).
class LoadSeries
{
public:
    enum class Source { Sent, Arrived };

    explicit LoadSeries(qint64 bucketUs = 100'000)
        : m_bucketUs(bucketUs)
    {}

    void addSent(const AttemptRecord &r); // ignores attempts refused locally
    void addArrival(const JournalEntry &e);
    void addArrival(qint64 atUs, bool retry);
    static LoadSeries fromJournal(const std::vector<JournalEntry> &journal,
                                  qint64 bucketUs = 100'000);

    Source source() const { return m_source; }
    qint64 bucketUs() const { return m_bucketUs; }
    std::size_t buckets() const { return m_first.size(); }
    qint64 first(std::size_t i) const { return m_first[i]; }
    qint64 retries(std::size_t i) const { return m_retries[i]; }
    qint64 total(std::size_t i) const { return m_first[i] + m_retries[i]; }
    qint64 peak() const { return m_peak; }               // the busiest bucket's requests
    qint64 peakRetries() const { return m_peakRetries; } // the most retries in one bucket
    qint64 count() const { return m_count; }

private:
    void add(qint64 atUs, bool retry);

    qint64 m_bucketUs;
    Source m_source = Source::Sent;
    std::vector<qint64> m_first;
    std::vector<qint64> m_retries;
    qint64 m_peak = 0;
    qint64 m_peakRetries = 0;
    qint64 m_count = 0;
};

} // namespace retrylab
