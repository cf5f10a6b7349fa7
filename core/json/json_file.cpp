// SPDX-License-Identifier: GPL-3.0-or-later
#include "json_file.h"

#include "base/atomic_file.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace retrylab {

std::optional<QJsonObject> readJsonObjectFile(const QString &fileName, QString *error)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = u"%1: cannot open: %2"_s.arg(fileName, file.errorString());
        return std::nullopt;
    }
    QJsonParseError parseError;
    const auto doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error)
            *error = u"%1: not valid JSON at byte %2: %3"_s.arg(fileName)
                         .arg(parseError.offset)
                         .arg(parseError.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        if (error)
            *error = u"%1: must be a JSON object"_s.arg(fileName);
        return std::nullopt;
    }
    return doc.object();
}

QString describeProblems(const QString &fileName, const FieldProblems &problems)
{
    QStringList lines;
    for (const auto &p : problems)
        lines << u"%1: %2: %3"_s.arg(fileName, p.field, p.message);
    return lines.join(u'\n');
}

bool writeJsonFile(const QString &fileName, const QJsonDocument &doc, QString *error)
{
    return writeFileAtomically(fileName, doc.toJson(QJsonDocument::Indented), error);
}

} // namespace retrylab
