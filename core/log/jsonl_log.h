// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "attempt_log.h"
#include "redactor.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

#include <array>

namespace retrylab {

// Header blocks that the lines of one log repeat (the scenario's request headers, a server's
// response headers), by their index in the log's strings, written once as JSON array
// elements, redacted. Bounded: one slot per index modulo its size. One writer's thread.
class HeaderJsonCache
{
public:
    QByteArrayView elements(std::uint32_t index, const AttemptLog &log, const Redactor &redactor);

private:
    struct Slot {
        std::uint32_t index = 0; // 0 is "": no elements
        QByteArray json;
    };
    std::array<Slot, 64> m_slots;
};

// One record as JSON, named as core/log/README.md's attempt record (times in milliseconds
// since the run started). Request headers are the scenario's own plus those Retry Lab adds;
// secrets are redacted by `redactor`.
QJsonObject attemptToJson(const AttemptRecord &r, const AttemptLog &log, int run = 1,
                          const Redactor &redactor = Redactor());
// Appends it as one line of JSON Lines, written directly (json/json_line.h), keys sorted.
// `cache`, when given, is the writer's for this log.
void appendAttemptLine(QByteArray &out, const AttemptRecord &r, const AttemptLog &log, int run = 1,
                       const Redactor &redactor = Redactor(), HeaderJsonCache *cache = nullptr);
QJsonObject breakerToJson(const BreakerRecord &r, int run = 1);
// Reads records back (strings go into `log`'s table); says what is wrong otherwise.
std::optional<AttemptRecord> attemptFromJson(const QJsonObject &o, AttemptLog &log, QString *error);
std::optional<BreakerRecord> breakerFromJson(const QJsonObject &o, QString *error);

// Reads a JSON Lines log written by JsonlLogWriter into an empty log: the run line, attempts,
// breaker transitions and server entries. A bad line is reported with its number and nothing
// is half-read; a last line cut short by a killed process is skipped and counted.
struct JsonlReadResult {
    bool ok = false;
    QString error;
    int truncatedLines = 0; // an unfinished last line (the process died mid-write)
};
JsonlReadResult readJsonlLog(const QString &fileName, AttemptLog &log);
// The same from bytes already read; `fileName` names them in errors.
JsonlReadResult readJsonlLog(const QByteArray &bytes, AttemptLog &log, const QString &fileName);

// Streams a log to a JSON Lines file while the run goes on: the first line describes the run
// (kind "run": scenario, target, start time), then each flush() appends what was added since
// the last one straight to the file (no buffer in between), so a killed process loses at most
// the last batch. Breaker transitions are records of kind "breaker", the server's journal
// entries (added at the end of a run against the built-in server) of kind "server".
// A write that fails or falls short (a full disk, a file-size limit, a file that takes no
// data) is an error: flush() returns -1 from then on and error() says what happened, so the
// caller can stop the run instead of losing records silently.
class JsonlLogWriter
{
public:
    bool open(const QString &fileName, QString *error, const Redactor &redactor = Redactor());
    // Writes new records; returns how many, or -1 when this or an earlier write failed.
    qint64 flush(const AttemptLog &log);
    void close();
    bool isOpen() const { return m_file.isOpen(); }
    bool failed() const { return !m_error.isEmpty(); }
    QString error() const { return m_error; }

    // The whole log at once, written atomically.
    static bool write(const AttemptLog &log, const QString &fileName, const Redactor &redactor,
                      QString *error);

private:
    QByteArray pending(const AttemptLog &log, qint64 *count);

    QFile m_file;
    QString m_error;
    Redactor m_redactor;
    HeaderJsonCache m_headerJson;
    bool m_headerWritten = false;
    std::size_t m_written = 0;
    std::size_t m_breakersWritten = 0;
    std::size_t m_journalWritten = 0;
};

} // namespace retrylab
