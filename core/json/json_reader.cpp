// SPDX-License-Identifier: GPL-3.0-or-later
#include "json_reader.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

JsonReader::JsonReader(const QJsonObject &object, QString path, FieldProblems *problems)
    : m_object(object)
    , m_path(std::move(path))
    , m_problems(problems)
{}

QString JsonReader::pathOf(const QString &key) const
{
    if (key.isEmpty())
        return m_path;
    return m_path.isEmpty() ? key : m_path + u'.' + key;
}

void JsonReader::problem(const QString &key, const QString &message) const
{
    if (m_problems)
        m_problems->append({pathOf(key), message});
}

void JsonReader::adopt(const QString &key, const FieldProblems &inner) const
{
    if (!m_problems)
        return;
    const QString at = pathOf(key);
    for (const FieldProblem &p : inner)
        m_problems->append({at.isEmpty() ? p.field : at + u'.' + p.field, p.message});
}

JsonReader JsonReader::child(const QString &key) const
{
    const auto v = m_object.value(key);
    if (!v.isUndefined() && !v.isObject())
        problem(key, u"must be an object"_s);
    return JsonReader(v.toObject(), pathOf(key), m_problems);
}

void JsonReader::read(const QString &key, bool &out) const
{
    if (!m_object.contains(key))
        return;
    const auto v = m_object.value(key);
    if (!v.isBool()) {
        problem(key, u"must be true or false"_s);
        return;
    }
    out = v.toBool();
}

void JsonReader::read(const QString &key, int &out, int min, int max) const
{
    if (!m_object.contains(key))
        return;
    const auto v = m_object.value(key);
    const double d = v.toDouble(std::nan(""));
    if (!v.isDouble() || !isWholeNumber(d, min, max)) {
        problem(key, u"must be a whole number from %1 to %2"_s.arg(min).arg(max));
        return;
    }
    out = static_cast<int>(d);
}

void JsonReader::read(const QString &key, double &out, double min, double max) const
{
    if (!m_object.contains(key))
        return;
    const auto v = m_object.value(key);
    const double d = v.toDouble(std::nan(""));
    if (!v.isDouble() || !(d >= min) || !(d <= max)) {
        problem(key, u"must be a number from %1 to %2"_s.arg(min).arg(max));
        return;
    }
    out = d;
}

void JsonReader::read(const QString &key, QString &out) const
{
    if (!m_object.contains(key))
        return;
    const auto v = m_object.value(key);
    if (!v.isString()) {
        problem(key, u"must be a string"_s);
        return;
    }
    out = v.toString();
}

void JsonReader::readOneOf(const QString &key, QString &out, const QStringList &allowed) const
{
    if (!m_object.contains(key))
        return;
    const auto v = m_object.value(key);
    if (!v.isString() || !allowed.contains(v.toString())) {
        QStringList shown;
        for (const QString &a : allowed)
            shown << (a.isEmpty() ? u"\"\""_s : a);
        problem(key, u"must be one of: "_s + shown.join(u", "_s));
        return;
    }
    out = v.toString();
}

void JsonReader::readMs(const QString &key, Duration &out, double maxMs) const
{
    if (!m_object.contains(key))
        return;
    const auto v = m_object.value(key);
    if (!v.isDouble() || !(v.toDouble() >= 0.0) || v.toDouble() > maxMs) {
        problem(key, u"must be a number of milliseconds from 0 to %1"_s.arg(maxMs, 0, 'f', 0));
        return;
    }
    out = fromMs(v.toDouble());
}

void JsonReader::readArray(const QString &key,
                           const std::function<QString(const QJsonValue &, int)> &each) const
{
    if (!m_object.contains(key))
        return;
    const auto v = m_object.value(key);
    if (!v.isArray()) {
        problem(key, u"must be an array"_s);
        return;
    }
    const QJsonArray a = v.toArray();
    for (int i = 0; i < a.size(); ++i) {
        const QString error = each(a.at(i), i);
        if (!error.isEmpty())
            problem(u"%1[%2]"_s.arg(key).arg(i), error);
    }
}

void JsonReader::rejectUnknown(const QStringList &known) const
{
    for (const QString &key : m_object.keys()) {
        if (!known.contains(key))
            problem(key, u"unknown field (known here: %1)"_s.arg(known.join(u", "_s)));
    }
}

} // namespace retrylab
