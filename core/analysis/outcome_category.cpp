// SPDX-License-Identifier: GPL-3.0-or-later
#include "outcome_category.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace retrylab::category {

OutcomeCategory of(OutcomeClass outcome, int status)
{
    switch (outcome) {
    case OutcomeClass::Success:
        return OutcomeCategory::Success;
    case OutcomeClass::ClientError:
        return status == 429 ? OutcomeCategory::TooManyRequests : OutcomeCategory::ClientError;
    case OutcomeClass::ServerError:
        return status == 503 ? OutcomeCategory::Unavailable : OutcomeCategory::OtherServerError;
    case OutcomeClass::Timeout:
        return OutcomeCategory::Timeout;
    case OutcomeClass::ConnectionReset:
        return OutcomeCategory::Reset;
    case OutcomeClass::ConnectionRefused:
    case OutcomeClass::Dns:
    case OutcomeClass::Tls:
    case OutcomeClass::NetworkOther:
        return OutcomeCategory::Refused;
    case OutcomeClass::RejectedByBreaker:
        return OutcomeCategory::RejectedByBreaker;
    case OutcomeClass::RejectedByBudget:
    case OutcomeClass::BudgetExhausted:
        return OutcomeCategory::RejectedByBudget;
    case OutcomeClass::Informational:
    case OutcomeClass::Redirect:
    case OutcomeClass::Cancelled:
        break;
    }
    return OutcomeCategory::Other;
}

int severity(OutcomeCategory c)
{
    switch (c) {
    case OutcomeCategory::Success:
        return 1;
    case OutcomeCategory::RejectedByBudget:
        return 2;
    case OutcomeCategory::RejectedByBreaker:
        return 3;
    case OutcomeCategory::ClientError:
    case OutcomeCategory::Other:
        return 4;
    case OutcomeCategory::TooManyRequests:
        return 5;
    case OutcomeCategory::Unavailable:
        return 6;
    case OutcomeCategory::OtherServerError:
        return 7;
    case OutcomeCategory::Refused:
        return 8;
    case OutcomeCategory::Reset:
        return 9;
    case OutcomeCategory::Timeout:
        return 10;
    }
    return 0;
}

QString title(OutcomeCategory c)
{
    switch (c) {
    case OutcomeCategory::Success:
        return QCoreApplication::translate("category", "Success");
    case OutcomeCategory::TooManyRequests:
        return QCoreApplication::translate("category", "429 Too Many Requests");
    case OutcomeCategory::Unavailable:
        return QCoreApplication::translate("category", "503 Unavailable");
    case OutcomeCategory::OtherServerError:
        return QCoreApplication::translate("category", "Other 5xx");
    case OutcomeCategory::ClientError:
        return QCoreApplication::translate("category", "4xx");
    case OutcomeCategory::Timeout:
        return QCoreApplication::translate("category", "Timeout");
    case OutcomeCategory::Reset:
        return QCoreApplication::translate("category", "Connection reset");
    case OutcomeCategory::Refused:
        return QCoreApplication::translate("category", "Refused / network");
    case OutcomeCategory::RejectedByBreaker:
        return QCoreApplication::translate("category", "Rejected by breaker");
    case OutcomeCategory::RejectedByBudget:
        return QCoreApplication::translate("category", "Rejected by budget");
    case OutcomeCategory::Other:
        break;
    }
    return QCoreApplication::translate("category", "Other");
}

QString id(OutcomeCategory c)
{
    static const char *const ids[] = {"success", "429",     "503",   "other-5xx",
                                      "4xx",     "timeout", "reset", "refused",
                                      "breaker", "budget",  "other"};
    return QString::fromLatin1(ids[static_cast<int>(c)]);
}

QList<OutcomeCategory> all()
{
    QList<OutcomeCategory> list;
    for (int i = 0; i < count(); ++i)
        list << static_cast<OutcomeCategory>(i);
    return list;
}

} // namespace retrylab::category
