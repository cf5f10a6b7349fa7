// SPDX-License-Identifier: GPL-3.0-or-later
#include "log_merge.h"

#include "jsonl_log.h"

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace retrylab {

LogMergeResult mergeJsonlLogs(const QStringList &fileNames, AttemptLog &into)
{
    LogMergeResult result;
    if (fileNames.isEmpty()) {
        result.error = u"no log to merge"_s;
        return result;
    }
    std::vector<std::unique_ptr<AttemptLog>> parts;
    for (const QString &name : fileNames) {
        auto part = std::make_unique<AttemptLog>(into.cap());
        const JsonlReadResult read = readJsonlLog(name, *part);
        if (!read.ok) {
            result.error = read.error;
            return result;
        }
        if (!part->runInfo().startedAt.isValid()) {
            result.error = u"%1: no run line with a start time (startedAt): the files cannot be "
                           "put on one time line"_s.arg(name);
            return result;
        }
        result.truncatedLines += read.truncatedLines;
        parts.push_back(std::move(part));
    }
    QDateTime earliest = parts.front()->runInfo().startedAt;
    for (const auto &p : parts)
        earliest = std::min(earliest, p->runInfo().startedAt);

    std::vector<AttemptRecord> attempts;
    std::vector<BreakerRecord> breakers;
    std::vector<JournalEntry> journal;
    for (const auto &p : parts) {
        const qint64 shift = earliest.msecsTo(p->runInfo().startedAt) * 1000;
        const auto move = [shift](qint64 &us) {
            us += shift;
        };
        // Strings are indexes into each file's own table: carry the text over.
        const auto carry = [&](std::uint32_t index) {
            return into.intern(p->string(index));
        };
        p->forEach([&](AttemptRecord r) {
            move(r.scheduledUs);
            move(r.startedUs);
            move(r.finishedUs);
            r.method = carry(r.method);
            r.url = carry(r.url);
            r.idempotencyKey = carry(r.idempotencyKey);
            r.requestHeaders = carry(r.requestHeaders);
            r.responseHeaders = carry(r.responseHeaders);
            r.detail = carry(r.detail);
            r.requestSent = carry(r.requestSent);
            r.responseBody = carry(r.responseBody);
            attempts.push_back(r);
        });
        for (BreakerRecord b : p->breakerRecords()) {
            move(b.atUs);
            b.transition.at = Duration(b.atUs);
            breakers.push_back(b);
        }
        for (const JournalEntry &e : p->journalRecords())
            journal.push_back(e);
    }
    std::stable_sort(
        attempts.begin(), attempts.end(),
        [](const AttemptRecord &a, const AttemptRecord &b) { return a.finishedUs < b.finishedUs; });
    std::stable_sort(
        breakers.begin(), breakers.end(),
        [](const BreakerRecord &a, const BreakerRecord &b) { return a.atUs < b.atUs; });
    for (const AttemptRecord &r : attempts)
        into.append(r);
    for (const BreakerRecord &b : breakers)
        into.appendBreaker(b);
    if (!journal.empty())
        into.appendJournal(std::move(journal));
    AttemptLog::RunInfo info = parts.front()->runInfo();
    info.startedAt = earliest;
    into.setRunInfo(info);
    result.ok = true;
    return result;
}

} // namespace retrylab
