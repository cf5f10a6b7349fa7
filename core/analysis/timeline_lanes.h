// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/outcome_category.h"
#include "analysis/timeline_summary.h"
#include "base/stable_vector.h"
#include "log/attempt_record.h"

#include <QHash>

#include <deque>

namespace retrylab {

// The attempt timeline's data: one lane per operation (or per client), each attempt a bar from
// its start to its end, with the wait before it (from the previous attempt's end) and where
// that wait came from. Bars keep their record's index so a chart can show the whole record.
class TimelineLanes
{
public:
    enum class By { Operation, Client };
    struct Bar {
        qint64 startUs = 0;
        qint64 endUs = 0;
        qint64 waitFromUs = -1; // the previous attempt's end (-1: first attempt)
        std::uint32_t record = 0;
        OutcomeCategory category = OutcomeCategory::Success;
        DelaySource waitSource = DelaySource::Backoff;
    };

    explicit TimelineLanes(By by = By::Operation)
        : m_by(by)
    {}

    By by() const { return m_by; }
    // Feed records in log order; `index` is the record's position in the log.
    void add(const AttemptRecord &r, std::uint32_t index);

    int lanes() const { return static_cast<int>(m_lanes.size()); }
    // A lane per client can hold millions of bars, and must grow without copying them all.
    using Lane = StableVector<Bar>;
    const Lane &lane(int i) const { return m_lanes[static_cast<std::size_t>(i)]; }
    QString laneTitle(int i) const;
    qint64 endUs() const { return m_endUs; }
    qint64 bars() const { return m_bars; }
    qint64 count(OutcomeCategory c) const { return m_counts[static_cast<int>(c)]; }
    // The lanes merged into rows of 100 and more, for views too far out to visit every bar.
    const TimelineSummary &summary() const { return m_summary; }

private:
    // An operation still going: its lane and the end of its last attempt so far.
    struct Open {
        int lane = -1;
        qint64 lastEndUs = -1;
    };
    By m_by;
    // Deques, not vectors: a live run adds a lane per operation, and a vector of a million
    // lanes that doubles copies them all in one frame.
    std::deque<Lane> m_lanes;
    std::deque<std::pair<std::uint32_t, std::uint32_t>> m_laneKeys; // client, operation
    // Only operations still going are kept (an operation's attempts come in order, and none
    // follows its last), so the table stays the size of the run's concurrency.
    QHash<quint64, Open> m_open;
    QHash<std::uint32_t, int> m_clientLane; // By::Client
    qint64 m_endUs = 0;
    qint64 m_bars = 0;
    qint64 m_counts[category::count()] = {};
    TimelineSummary m_summary;
};

} // namespace retrylab
