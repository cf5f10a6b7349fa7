// SPDX-License-Identifier: GPL-3.0-or-later
#include "timeline_lanes.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace retrylab {

void TimelineLanes::add(const AttemptRecord &r, std::uint32_t index)
{
    const quint64 op = (quint64(r.client) << 32) | r.operation;
    const quint64 key = m_by == By::Operation ? op : quint64(r.client);
    auto lane = m_laneOf.constFind(key);
    if (lane == m_laneOf.constEnd()) {
        lane = m_laneOf.insert(key, static_cast<int>(m_lanes.size()));
        m_lanes.emplace_back();
        m_laneKeys.emplace_back(r.client, m_by == By::Operation ? r.operation : 0);
    }
    Bar bar;
    bar.startUs = r.startedUs;
    bar.endUs = std::max(r.startedUs, r.finishedUs);
    bar.record = index;
    bar.category = category::of(r.outcome, r.status);
    bar.waitSource = r.delaySource;
    if (r.isRetry()) {
        const auto last = m_lastEnd.constFind(op);
        if (last != m_lastEnd.constEnd())
            bar.waitFromUs = *last;
    }
    if (r.lastOfOperation)
        m_lastEnd.remove(op);
    else
        m_lastEnd.insert(op, bar.endUs);
    m_lanes[static_cast<std::size_t>(*lane)].push_back(bar);
    m_summary.add(*lane, bar.startUs, bar.endUs, bar.category);
    m_endUs = std::max(m_endUs, bar.endUs);
    ++m_bars;
    ++m_counts[static_cast<int>(bar.category)];
}

QString TimelineLanes::laneTitle(int i) const
{
    const auto &[client, operation] = m_laneKeys[static_cast<std::size_t>(i)];
    return m_by == By::Operation ? u"client %1 · op %2"_s.arg(client).arg(operation)
                                 : u"client %1"_s.arg(client);
}

} // namespace retrylab
