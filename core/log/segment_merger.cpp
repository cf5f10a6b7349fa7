// SPDX-License-Identifier: GPL-3.0-or-later
#include "segment_merger.h"

#include <algorithm>
#include <limits>

namespace retrylab {

SegmentMerger::SegmentMerger(AttemptLog &log, std::vector<LogSegment *> segments)
    : m_log(log)
    , m_segments(std::move(segments))
    , m_held(m_segments.size())
{}

std::size_t SegmentMerger::merge()
{
    for (std::size_t i = 0; i < m_segments.size(); ++i) {
        Held &h = m_held[i];
        LogSegment::Batch b = m_segments[i]->take(std::move(h.spent));
        for (const QString &s : std::as_const(b.strings))
            h.globalIndex.push_back(m_log.intern(s));
        for (AttemptRecord &r : b.records) {
            translate(h, r);
            h.records.push_back(r);
        }
        h.breakers.insert(h.breakers.end(), b.breakers.begin(), b.breakers.end());
        h.settledUs = b.settledUs;
        h.spent = std::move(b); // the segment's to fill again at the next take
    }
    const qint64 until = settled();
    placeBreakers(until);
    return placeRecords(until);
}

void SegmentMerger::translate(const Held &h, AttemptRecord &r)
{
    // A segment appends a record only after interning its strings, and take() hands both over
    // at once: every index is known here.
    for (std::uint32_t *index : {&r.method, &r.url, &r.idempotencyKey, &r.requestHeaders,
                                 &r.responseHeaders, &r.detail, &r.requestSent, &r.responseBody})
        *index = *index < h.globalIndex.size() ? h.globalIndex[*index] : 0;
}

qint64 SegmentMerger::settled() const
{
    qint64 until = std::numeric_limits<qint64>::max();
    for (const Held &h : m_held)
        until = std::min(until, h.settledUs);
    return until;
}

std::size_t SegmentMerger::placeRecords(qint64 until)
{
    std::size_t placed = 0;
    for (;;) {
        // The earliest front among the shards (a handful: a linear look is cheapest).
        Held *next = nullptr;
        for (Held &h : m_held)
            if (!h.records.empty() && h.records.front().finishedUs <= until &&
                (!next || h.records.front().finishedUs < next->records.front().finishedUs))
                next = &h;
        if (!next)
            return placed;
        m_log.append(next->records.front());
        next->records.pop_front();
        ++placed;
    }
}

void SegmentMerger::placeBreakers(qint64 until)
{
    for (;;) {
        Held *next = nullptr;
        for (Held &h : m_held)
            if (!h.breakers.empty() && h.breakers.front().atUs <= until &&
                (!next || h.breakers.front().atUs < next->breakers.front().atUs))
                next = &h;
        if (!next)
            return;
        m_log.appendBreaker(next->breakers.front());
        next->breakers.pop_front();
    }
}

std::size_t SegmentMerger::held() const
{
    std::size_t n = 0;
    for (const Held &h : m_held)
        n += h.records.size();
    return n;
}

} // namespace retrylab
