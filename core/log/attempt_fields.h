// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "attempt_log.h"
#include "redactor.h"

#include <QJsonArray>
#include <QJsonObject>

namespace retrylab {

// Times in the log's files are milliseconds; in a record, microseconds.
double msFromUs(qint64 us);
// A time from a file, as microseconds, or `fallback` when it is not a number: clamped to
// ±kMaxDuration, since a hand-edited 1e100 does not fit a qint64 (casting it would be
// undefined behaviour).
qint64 usFromMs(const QJsonValue &ms, qint64 fallback);

// Headers as HAR and the JSON Lines log write them: [{"name": ..., "value": ...}]; and back.
QJsonArray headersToJson(const HeaderList &headers);
HeaderList headersFromJson(const QJsonValue &array);
// The full request headers of an attempt, and the response's (empty when not kept).
HeaderList requestHeadersOf(const AttemptRecord &r, const AttemptLog &log);
HeaderList responseHeadersOf(const AttemptRecord &r, const AttemptLog &log);
// The request line and fields exactly as our own stack wrote them, fields redacted, one per
// line; empty when not kept (the Qt stack, simulated time, a long run's later attempts).
QString requestSentOf(const AttemptRecord &r, const AttemptLog &log, const Redactor &redactor);
// "HTTP/1.0", "HTTP/1.1", "HTTP/2" for AttemptRecord::httpVersion (empty for 0), and back.
QString httpVersionText(std::uint8_t version);
std::uint8_t httpVersionFromText(const QString &text);

// An attempt's phases read from {"dnsMs": 0.012, ..., "reused": false} (jsonl_log.cpp writes
// them), phases that did not happen left out.
PhaseTimings phasesFromJson(const QJsonObject &o);

} // namespace retrylab
