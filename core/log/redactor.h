// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/pushback.h"

#include <QJsonObject>
#include <QStringList>

namespace retrylab {

// Hides the values of headers that carry secrets in everything Retry Lab writes out: exports,
// streamed logs, the report. Authorization, Cookie, Set-Cookie and Proxy-Authorization always
// (unless redaction is turned off), plus any names the person adds.
class Redactor
{
public:
    static QStringList defaultNames();
    static constexpr QByteArrayView kMask = "[redacted]";

    explicit Redactor(const QStringList &extraNames = {}, bool enabled = true);
    static Redactor none() { return Redactor({}, false); }

    bool isEnabled() const { return m_enabled; }
    bool isSecret(QByteArrayView name) const;
    HeaderList apply(const HeaderList &headers) const;
    // A scenario's JSON form with its request headers redacted.
    QJsonObject applyToScenario(QJsonObject scenario) const;
    QStringList names() const { return m_names; }

private:
    QStringList m_names; // lower case
    bool m_enabled;
};

} // namespace retrylab
