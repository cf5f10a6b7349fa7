// SPDX-License-Identifier: GPL-3.0-or-later
#include "redactor.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace retrylab {

QStringList Redactor::defaultNames()
{
    return {u"authorization"_s, u"cookie"_s, u"set-cookie"_s, u"proxy-authorization"_s};
}

Redactor::Redactor(const QStringList &extraNames, bool enabled)
    : m_names(defaultNames())
    , m_enabled(enabled)
{
    for (const QString &n : extraNames)
        if (!n.trimmed().isEmpty() && !m_names.contains(n.trimmed().toLower()))
            m_names << n.trimmed().toLower();
}

bool Redactor::isSecret(QByteArrayView name) const
{
    if (!m_enabled)
        return false;
    // Asked for every header of every line a log writes: compared in place, nothing allocated.
    const QLatin1String latin1(name.data(), name.size());
    for (const QString &n : m_names)
        if (n.size() == latin1.size() && latin1.compare(n, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

HeaderList Redactor::apply(const HeaderList &headers) const
{
    HeaderList out = headers;
    for (auto &[name, value] : out)
        if (isSecret(name))
            value = kMask.toByteArray();
    return out;
}

QJsonObject Redactor::applyToScenario(QJsonObject scenario) const
{
    QJsonObject request = scenario.value(u"request"_s).toObject();
    QJsonArray headers = request.value(u"headers"_s).toArray();
    for (qsizetype i = 0; i < headers.size(); ++i) {
        QJsonObject h = headers.at(i).toObject();
        if (isSecret(h.value(u"name"_s).toString().toLatin1())) {
            h.insert(u"value"_s, QString::fromLatin1(kMask));
            headers.replace(i, h);
        }
    }
    request.insert(u"headers"_s, headers);
    scenario.insert(u"request"_s, request);
    return scenario;
}

} // namespace retrylab
