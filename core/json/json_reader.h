// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/duration.h"
#include "base/field_problem.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <cmath>
#include <functional>
#include <optional>

namespace retrylab {

// Whether a JSON number is a whole number from `min` to `max`. Check this before casting to
// int: casting a double out of int's range (a status of 3e10) is undefined behaviour.
inline bool isWholeNumber(double d, int min, int max)
{
    return d >= min && d <= max && d == std::floor(d); // false for NaN too
}

// Reads fields of one JSON object into C++ values, collecting a FieldProblem with the full
// path ("policy.retry.maxAttempts") for every field of the wrong type, out of range, or
// unknown. A missing field leaves the value as it was (the default).
class JsonReader
{
public:
    JsonReader(const QJsonObject &object, QString path, FieldProblems *problems);

    JsonReader child(const QString &key) const;
    bool has(const QString &key) const { return m_object.contains(key); }
    QJsonValue value(const QString &key) const { return m_object.value(key); }
    const QJsonObject &object() const { return m_object; }

    void read(const QString &key, bool &out) const;
    void read(const QString &key, int &out, int min, int max) const;
    void read(const QString &key, double &out, double min, double max) const;
    void read(const QString &key, QString &out) const;
    // A number of milliseconds, stored as a Duration.
    void readMs(const QString &key, Duration &out, double maxMs = 365.0 * 24 * 3600 * 1000) const;
    // A string that must be one of `allowed` ("must be one of: a, b"; an allowed empty string
    // shows as "").
    void readOneOf(const QString &key, QString &out, const QStringList &allowed) const;
    // A string naming one of a set of values, turned into an enum by `from`.
    template<typename E>
    void readId(const QString &key, E &out, const std::function<std::optional<E>(QString)> &from,
                const QStringList &allowed) const
    {
        if (!m_object.contains(key))
            return;
        const auto v = m_object.value(key);
        const auto parsed = v.isString() ? from(v.toString()) : std::nullopt;
        if (!parsed) {
            problem(key, u"must be one of: " + allowed.join(u", "));
            return;
        }
        out = *parsed;
    }
    // An array; each element is handed to `each` with its index, which returns an error text
    // or an empty string.
    void readArray(const QString &key,
                   const std::function<QString(const QJsonValue &, int)> &each) const;

    // Flags every key not in `known`: a misspelt field is an error, not silently ignored.
    void rejectUnknown(const QStringList &known) const;

    // The full path of `key`; an empty key is this object itself.
    QString pathOf(const QString &key) const;
    void problem(const QString &key, const QString &message) const;
    // Takes the problems another reader found in the object at `key` (a FaultProfile's,
    // a ClientPolicy's), their fields put under this one's path.
    void adopt(const QString &key, const FieldProblems &inner) const;

private:
    QJsonObject m_object;
    QString m_path;
    FieldProblems *m_problems;
};

} // namespace retrylab
