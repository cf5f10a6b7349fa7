// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/timeline_lanes.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace retrylab {

class AttemptLog;
struct AttemptRecord;

// What the timeline says on hover, as rich text a person reads at a glance: one attempt as a
// two-column table (times in s, durations in ms) with its wire phases as a waterfall; a row
// that merges lanes as the lanes it holds and the worst outcome under the pointer.
class TimelineTooltip
{
    Q_DECLARE_TR_FUNCTIONS(TimelineTooltip)
public:
    static QString attempt(const AttemptLog &log, const AttemptRecord &r);
    // The phases of one attempt: a row each with its duration and a bar placed where it fell.
    static QString phases(const AttemptRecord &r);
    static QString mergedRow(TimelineLanes::By by, int firstLane, int lastLane, qint64 fromUs,
                             qint64 toUs, std::optional<OutcomeCategory> worst);
};

} // namespace retrylab
