// SPDX-License-Identifier: GPL-3.0-or-later
#include "retry_after_judge.h"

namespace retrylab {

std::optional<RetryAfterJudge::Verdict> RetryAfterJudge::observe(const AttemptRecord &r)
{
    if (outcome::isLocalRejection(r.outcome))
        return std::nullopt; // never sent: the server never saw it come back
    std::optional<Verdict> verdict;
    const auto asked = m_asked.constFind(r.client);
    if (asked != m_asked.constEnd()) {
        verdict = Verdict{r.client, asked->waitUs, r.startedUs - asked->fromUs, r.startedUs};
        m_asked.erase(asked);
    }
    if (r.retryAfterUs >= 0)
        m_asked.insert(r.client, Asked{r.finishedUs, r.retryAfterUs});
    return verdict;
}

} // namespace retrylab
