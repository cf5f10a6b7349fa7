// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "mock/request_journal.h"

#include <vector>

namespace retrylab {

// Duplicate charges over time, from the built-in server's journal: per time bucket the
// requests that arrived and those whose charge was a second effect of an operation the ledger
// had already charged (JournalEntry::duplicateEffect), with the running total. Also what the
// journal says about why there are none: were payments posted, retried, and with keys?
class DuplicateSeries
{
public:
    explicit DuplicateSeries(qint64 bucketUs = 1'000'000)
        : m_bucketUs(std::max<qint64>(1, bucketUs))
    {}
    // A round bucket (1, 2 or 5 × 10^k µs, at least 100 ms) that cuts `spanUs` into at most
    // about 60 bars.
    static qint64 bucketFor(qint64 spanUs);
    static DuplicateSeries fromJournal(const std::vector<JournalEntry> &journal, qint64 bucketUs);

    qint64 bucketUs() const { return m_bucketUs; }
    std::size_t buckets() const { return m_requests.size(); }
    qint64 requests(std::size_t i) const { return m_requests[i]; }
    qint64 duplicates(std::size_t i) const { return m_duplicates[i]; }
    qint64 cumulative(std::size_t i) const { return m_cumulative[i]; }
    qint64 total() const { return m_total; }            // duplicate charges in the journal
    qint64 peak() const { return m_peak; }              // the most in one bucket
    qint64 payments() const { return m_payments; }      // POST /payments requests
    qint64 paymentRetries() const { return m_retries; } // of those, X-Attempt > 1
    qint64 retriesWithoutKey() const { return m_retriesWithoutKey; }

private:
    qint64 m_bucketUs;
    std::vector<qint64> m_requests;
    std::vector<qint64> m_duplicates;
    std::vector<qint64> m_cumulative;
    qint64 m_total = 0;
    qint64 m_peak = 0;
    qint64 m_payments = 0;
    qint64 m_retries = 0;
    qint64 m_retriesWithoutKey = 0;
};

} // namespace retrylab
