// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "attempt_log.h"

#include <QFile>
#include <QJsonObject>

namespace retrylab {

// One record as JSON, with the field names of DESIGN.md's record (times in milliseconds since
// the run started).
QJsonObject attemptToJson(const AttemptRecord &r, const AttemptLog &log, int run = 1);
QJsonObject breakerToJson(const BreakerRecord &r, int run = 1);

// Streams a log to a JSON Lines file while the run goes on: each flush() appends what was
// added since the last one and flushes the file, so a killed process loses at most the last
// batch. Breaker transitions are records of kind "breaker", the server's journal entries
// (added at the end of a run against the built-in server) of kind "server".
class JsonlLogWriter
{
public:
    bool open(const QString &fileName, QString *error);
    // Writes new records; returns how many.
    qint64 flush(const AttemptLog &log);
    void close();
    bool isOpen() const { return m_file.isOpen(); }

private:
    QFile m_file;
    std::size_t m_written = 0;
    std::size_t m_breakersWritten = 0;
    std::size_t m_journalWritten = 0;
};

} // namespace retrylab
