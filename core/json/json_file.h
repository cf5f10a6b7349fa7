// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/field_problem.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace retrylab {

// Reads a file that must hold one JSON object. On failure says so, starting with the file
// name: "FILE: not valid JSON at byte 12: ...".
std::optional<QJsonObject> readJsonObjectFile(const QString &fileName, QString *error);

// "FILE: field: problem", one line each.
QString describeProblems(const QString &fileName, const FieldProblems &problems);

// Writes atomically (base/atomic_file.h): the old file stays whole if anything fails.
bool writeJsonFile(const QString &fileName, const QJsonDocument &doc, QString *error);

} // namespace retrylab
