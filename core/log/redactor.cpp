// SPDX-License-Identifier: GPL-3.0-or-later
#include "redactor.h"

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
    return m_enabled && m_names.contains(QString::fromLatin1(name).toLower());
}

HeaderList Redactor::apply(const HeaderList &headers) const
{
    HeaderList out = headers;
    for (auto &[name, value] : out)
        if (isSecret(name))
            value = kMask.toByteArray();
    return out;
}

} // namespace retrylab
