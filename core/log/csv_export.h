// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "attempt_log.h"
#include "redactor.h"

namespace retrylab {

// RFC 4180 CSV: one header row, CRLF line ends, fields with a comma, a quote or a line break
// quoted with inner quotes doubled. Headers are "Name: value" lines inside one field.
QByteArray csvRow(const QStringList &fields);
QByteArray attemptsCsv(const AttemptLog &log, const Redactor &redactor);
QByteArray breakersCsv(const AttemptLog &log);
QByteArray journalCsv(const AttemptLog &log);

// Writes the attempts to `fileName` and, when there are any, the breaker transitions and the
// server journal next to it (NAME.breakers.csv, NAME.server.csv), atomically.
bool writeCsvExport(const AttemptLog &log, const QString &fileName, const Redactor &redactor,
                    QStringList *written, QString *error);

} // namespace retrylab
