// SPDX-License-Identifier: GPL-3.0-or-later
#include "outcome_colors.h"

namespace retrylab {

QColor outcomeColor(OutcomeClass outcome, int status)
{
    switch (outcome) {
    case OutcomeClass::Success:
        return QColor(0x2e, 0x7d, 0x32); // green
    case OutcomeClass::ClientError:
        return status == 429 ? QColor(0xef, 0x6c, 0x00)  // orange: told to slow down
                             : QColor(0x8e, 0x24, 0xaa); // purple: our fault
    case OutcomeClass::ServerError:
        return status == 503 ? QColor(0xc6, 0x28, 0x28) : QColor(0xad, 0x14, 0x57);
    case OutcomeClass::Timeout:
        return QColor(0x6d, 0x4c, 0x41);
    case OutcomeClass::ConnectionReset:
    case OutcomeClass::ConnectionRefused:
    case OutcomeClass::Dns:
    case OutcomeClass::Tls:
    case OutcomeClass::NetworkOther:
        return QColor(0x45, 0x5a, 0x64);
    case OutcomeClass::RejectedByBreaker:
        return QColor(0x15, 0x65, 0xc0);
    case OutcomeClass::RejectedByBudget:
    case OutcomeClass::BudgetExhausted:
        return QColor(0x00, 0x83, 0x8f);
    default:
        return QColor(0x75, 0x75, 0x75);
    }
}

QColor categoryColor(OutcomeCategory category)
{
    switch (category) {
    case OutcomeCategory::Success:
        return outcomeColor(OutcomeClass::Success, 200);
    case OutcomeCategory::TooManyRequests:
        return outcomeColor(OutcomeClass::ClientError, 429);
    case OutcomeCategory::Unavailable:
        return outcomeColor(OutcomeClass::ServerError, 503);
    case OutcomeCategory::OtherServerError:
        return outcomeColor(OutcomeClass::ServerError, 500);
    case OutcomeCategory::ClientError:
        return outcomeColor(OutcomeClass::ClientError, 400);
    case OutcomeCategory::Timeout:
        return outcomeColor(OutcomeClass::Timeout, 0);
    case OutcomeCategory::Reset:
        return QColor(0x45, 0x5a, 0x64);
    case OutcomeCategory::Refused:
        return QColor(0x9e, 0x9e, 0x9e);
    case OutcomeCategory::RejectedByBreaker:
        return outcomeColor(OutcomeClass::RejectedByBreaker, 0);
    case OutcomeCategory::RejectedByBudget:
        return outcomeColor(OutcomeClass::RejectedByBudget, 0);
    case OutcomeCategory::Other:
        break;
    }
    return QColor(0x75, 0x75, 0x75);
}

QColor outcomeTint(OutcomeClass outcome, int status)
{
    QColor c = outcomeColor(outcome, status);
    c.setAlpha(outcome == OutcomeClass::Success ? 28 : 56);
    return c;
}

} // namespace retrylab
