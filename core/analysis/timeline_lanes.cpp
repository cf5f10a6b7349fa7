// SPDX-License-Identifier: GPL-3.0-or-later
#include "timeline_lanes.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace retrylab {

void TimelineLanes::add(const AttemptRecord &r, std::uint32_t index)
{
    const quint64 op = (quint64(r.client) << 32) | r.operation;
    auto open = m_open.find(op);
    if (open == m_open.end())
        open = m_open.insert(op, Open{});
    int lane = open->lane;
    if (m_by == By::Client) {
        auto client = m_clientLane.constFind(r.client);
        if (client == m_clientLane.constEnd())
            client = m_clientLane.insert(r.client, -1);
        lane = *client;
    }
    if (lane < 0) {
        lane = static_cast<int>(m_lanes.size());
        m_lanes.emplace_back();
        m_laneKeys.emplace_back(r.client, m_by == By::Operation ? r.operation : 0);
        if (m_by == By::Client)
            m_clientLane.insert(r.client, lane);
        open->lane = lane;
    }
    Bar bar;
    bar.startUs = r.startedUs;
    bar.endUs = std::max(r.startedUs, r.finishedUs);
    bar.record = index;
    bar.category = category::of(r.outcome, r.status);
    bar.waitSource = r.delaySource;
    if (r.isRetry())
        bar.waitFromUs = open->lastEndUs;
    if (r.lastOfOperation)
        m_open.erase(open);
    else
        open->lastEndUs = bar.endUs;
    m_lanes[static_cast<std::size_t>(lane)].push_back(bar);
    m_summary.add(lane, bar.startUs, bar.endUs, bar.category);
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
