// SPDX-License-Identifier: GPL-3.0-or-later
#include "duplicate_series.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace retrylab {

qint64 DuplicateSeries::bucketFor(qint64 spanUs)
{
    qint64 bucket = 100'000;
    for (qint64 scale = 100'000;; scale *= 10)
        for (const qint64 step : {1, 2, 5}) {
            bucket = step * scale;
            if (spanUs / bucket <= 60)
                return bucket;
        }
}

DuplicateSeries DuplicateSeries::fromJournal(const std::vector<JournalEntry> &journal,
                                             qint64 bucketUs)
{
    DuplicateSeries s(bucketUs);
    for (const JournalEntry &e : journal) {
        const qint64 atUs = std::chrono::duration_cast<std::chrono::microseconds>(e.at).count();
        const auto i = static_cast<std::size_t>(std::max<qint64>(0, atUs) / s.m_bucketUs);
        if (i >= s.m_requests.size()) {
            s.m_requests.resize(i + 1, 0);
            s.m_duplicates.resize(i + 1, 0);
        }
        ++s.m_requests[i];
        if (e.duplicateEffect) {
            ++s.m_duplicates[i];
            ++s.m_total;
        }
        if (e.method == u"POST"_s && e.path == u"/payments"_s) {
            ++s.m_payments;
            if (e.attempt > 1) {
                ++s.m_retries;
                s.m_retriesWithoutKey += e.idempotencyKey.isEmpty() ? 1 : 0;
            }
        }
    }
    s.m_cumulative.resize(s.m_duplicates.size());
    qint64 sum = 0;
    for (std::size_t i = 0; i < s.m_duplicates.size(); ++i) {
        sum += s.m_duplicates[i];
        s.m_cumulative[i] = sum;
        s.m_peak = std::max(s.m_peak, s.m_duplicates[i]);
    }
    return s;
}

} // namespace retrylab
