// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/attempt_record.h"

#include <QHash>

#include <optional>

namespace retrylab {

// Judges Retry-After compliance from the client's own log, the way the built-in server judges
// it from its journal: after a response that asked a client to wait, that client's next
// attempt (whichever operation it belongs to) must not start before the wait is over. The
// summary, the compliance chart and the expectations all read this one judge.
class RetryAfterJudge
{
public:
    struct Verdict {
        std::uint32_t client = 0;
        qint64 askedUs = 0; // the wait the earlier response asked for
        qint64 takenUs = 0; // from that response to this attempt's start
        qint64 atUs = 0;    // this attempt's start
        qint64 earlyUs() const { return askedUs > takenUs ? askedUs - takenUs : 0; }
        bool violated() const { return takenUs < askedUs; }
    };

    // Feed records in log order; returns a verdict for an attempt that had a wait to honour.
    std::optional<Verdict> observe(const AttemptRecord &r);

private:
    struct Asked {
        qint64 fromUs;
        qint64 waitUs;
    };
    QHash<std::uint32_t, Asked> m_asked; // per client: the last unanswered request to wait
};

} // namespace retrylab
