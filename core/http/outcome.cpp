// SPDX-License-Identifier: GPL-3.0-or-later
#include "outcome.h"

#include <array>

using namespace Qt::StringLiterals;

namespace retrylab::outcome {

namespace {

struct Info {
    OutcomeClass c;
    const char16_t *id;
    const char16_t *title;
};

constexpr std::array kInfo{
    Info{OutcomeClass::Success, u"success", u"Success"},
    Info{OutcomeClass::Informational, u"informational", u"1xx"},
    Info{OutcomeClass::Redirect, u"redirect", u"3xx"},
    Info{OutcomeClass::ClientError, u"client-error", u"4xx"},
    Info{OutcomeClass::ServerError, u"server-error", u"5xx"},
    Info{OutcomeClass::Timeout, u"timeout", u"Timeout"},
    Info{OutcomeClass::ConnectionReset, u"connection-reset", u"Connection reset"},
    Info{OutcomeClass::ConnectionRefused, u"connection-refused", u"Connection refused"},
    Info{OutcomeClass::Dns, u"dns", u"DNS failure"},
    Info{OutcomeClass::Tls, u"tls", u"TLS failure"},
    Info{OutcomeClass::NetworkOther, u"network-other", u"Other network error"},
    Info{OutcomeClass::RejectedByBreaker, u"rejected-by-breaker", u"Rejected by breaker"},
    Info{OutcomeClass::RejectedByBudget, u"rejected-by-budget", u"Rejected by retry budget"},
    Info{OutcomeClass::BudgetExhausted, u"budget-exhausted", u"Time budget exhausted"},
    Info{OutcomeClass::Cancelled, u"cancelled", u"Cancelled (run stopped)"},
};

const Info &info(OutcomeClass c)
{
    for (const auto &i : kInfo)
        if (i.c == c)
            return i;
    return kInfo.front();
}

} // namespace

QString id(OutcomeClass c)
{
    return QString::fromUtf16(info(c).id);
}
QString title(OutcomeClass c)
{
    return QString::fromUtf16(info(c).title);
}

std::optional<OutcomeClass> fromId(const QString &id)
{
    for (const auto &i : kInfo)
        if (id == QStringView(i.id))
            return i.c;
    return std::nullopt;
}

OutcomeClass fromStatus(int s)
{
    if (s >= 100 && s < 200)
        return OutcomeClass::Informational;
    if (s >= 200 && s < 300)
        return OutcomeClass::Success;
    if (s >= 300 && s < 400)
        return OutcomeClass::Redirect;
    if (s >= 400 && s < 500)
        return OutcomeClass::ClientError;
    if (s >= 500 && s < 600)
        return OutcomeClass::ServerError;
    return OutcomeClass::NetworkOther;
}

OutcomeClass fromNetworkError(QNetworkReply::NetworkError error, bool timedOut)
{
    if (timedOut)
        return OutcomeClass::Timeout;
    switch (error) {
    case QNetworkReply::NoError:
        return OutcomeClass::Success;
    case QNetworkReply::ConnectionRefusedError:
        return OutcomeClass::ConnectionRefused;
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::ProxyConnectionClosedError:
        return OutcomeClass::ConnectionReset;
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::ProxyNotFoundError:
        return OutcomeClass::Dns;
    case QNetworkReply::TimeoutError:
    case QNetworkReply::ProxyTimeoutError:
        return OutcomeClass::Timeout;
    case QNetworkReply::SslHandshakeFailedError:
        return OutcomeClass::Tls;
    default:
        return OutcomeClass::NetworkOther;
    }
}

std::optional<QList<int>> parseStatusList(const QString &text, QString *error)
{
    QList<int> out;
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    for (const QString &raw : text.split(u',', Qt::SkipEmptyParts)) {
        const QString part = raw.trimmed();
        if (part.isEmpty())
            continue;
        const qsizetype dash = part.indexOf(u'-');
        bool okA = false;
        bool okB = true;
        const int a = (dash < 0 ? part : part.left(dash)).trimmed().toInt(&okA);
        const int b = dash < 0 ? a : part.mid(dash + 1).trimmed().toInt(&okB);
        if (!okA || !okB)
            return fail(u"'%1' is not a status code or a range like 500-504"_s.arg(part));
        if (a < 100 || b > 599 || b < a)
            return fail(u"'%1' is outside the status codes 100 to 599"_s.arg(part));
        for (int s = a; s <= b; ++s)
            if (!out.contains(s))
                out << s;
    }
    return out;
}

QString formatStatusList(const QList<int> &statuses)
{
    QStringList parts;
    for (const int s : statuses)
        parts << QString::number(s);
    return parts.join(u", "_s);
}

bool isNetworkFailure(OutcomeClass c)
{
    switch (c) {
    case OutcomeClass::Timeout:
    case OutcomeClass::ConnectionReset:
    case OutcomeClass::ConnectionRefused:
    case OutcomeClass::Dns:
    case OutcomeClass::Tls:
    case OutcomeClass::NetworkOther:
        return true;
    default:
        return false;
    }
}

bool isLocalRejection(OutcomeClass c)
{
    return c == OutcomeClass::RejectedByBreaker || c == OutcomeClass::RejectedByBudget ||
           c == OutcomeClass::BudgetExhausted || c == OutcomeClass::Cancelled;
}

} // namespace retrylab::outcome
