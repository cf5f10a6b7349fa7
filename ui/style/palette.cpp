// SPDX-License-Identifier: GPL-3.0-or-later
#include "palette.h"

#include <QGuiApplication>
#include <QPalette>

namespace retrylab::palette {

namespace {
struct Pair {
    QRgb light;
    QRgb dark;
};

// Material Design tones: 800 on light backgrounds, 300 on dark ones.
Pair pairOf(Role role)
{
    switch (role) {
    case Role::Success:
        return {0x2e7d32, 0x81c784};
    case Role::TooManyRequests:
        return {0xef6c00, 0xffb74d};
    case Role::Unavailable:
        return {0xc62828, 0xe57373};
    case Role::ServerError:
        return {0xad1457, 0xf06292};
    case Role::ClientError:
        return {0x8e24aa, 0xce93d8};
    case Role::Timeout:
        return {0x6d4c41, 0xbcaaa4};
    case Role::Network:
        return {0x455a64, 0x90a4ae};
    case Role::Refused:
        return {0x9e9e9e, 0x757575};
    case Role::BreakerRejection:
        return {0x1565c0, 0x64b5f6};
    case Role::BudgetRejection:
        return {0x00838f, 0x4dd0e1};
    case Role::Neutral:
        return {0x757575, 0xbdbdbd};
    case Role::WaitBackoff:
        return {0x909090, 0xa0a0a0};
    case Role::WaitRetryAfter:
        return {0xb59a00, 0xfff176};
    case Role::WaitBreaker:
        return {0x7c4dff, 0xb388ff};
    case Role::FirstAttempts:
        return {0x4285f4, 0x64b5f6};
    case Role::Retries:
        return {0xef6c00, 0xffb74d};
    case Role::Capacity:
        return {0xc62828, 0xe57373};
    case Role::Expected:
        return {0xd32f2f, 0xff8a80};
    case Role::Early:
        return {0xd32f2f, 0xff8a80};
    case Role::Marker:
        return {0xffa000, 0xffd54f};
    case Role::Duplicate:
        return {0xb71c1c, 0xef9a9a};
    }
    return {0x757575, 0xbdbdbd};
}
} // namespace

bool isDark()
{
    return QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
}

QColor color(Role role, bool dark)
{
    const Pair p = pairOf(role);
    return QColor::fromRgb(dark ? p.dark : p.light);
}

QColor policy(int index, bool dark)
{
    static const Pair pairs[] = {
        {0xd32f2f, 0xef9a9a}, {0x1e88e5, 0x90caf9}, {0x43a047, 0xa5d6a7}, {0x8e24aa, 0xce93d8}};
    const Pair &p = pairs[(index % 4 + 4) % 4];
    return QColor::fromRgb(dark ? p.dark : p.light);
}

QColor outcome(OutcomeClass outcome, int status)
{
    switch (outcome) {
    case OutcomeClass::Success:
        return color(Role::Success);
    case OutcomeClass::ClientError:
        return color(status == 429 ? Role::TooManyRequests : Role::ClientError);
    case OutcomeClass::ServerError:
        return color(status == 503 ? Role::Unavailable : Role::ServerError);
    case OutcomeClass::Timeout:
        return color(Role::Timeout);
    case OutcomeClass::ConnectionReset:
    case OutcomeClass::ConnectionRefused:
    case OutcomeClass::Dns:
    case OutcomeClass::Tls:
    case OutcomeClass::NetworkOther:
        return color(Role::Network);
    case OutcomeClass::RejectedByBreaker:
        return color(Role::BreakerRejection);
    case OutcomeClass::RejectedByBudget:
    case OutcomeClass::BudgetExhausted:
        return color(Role::BudgetRejection);
    default:
        return color(Role::Neutral);
    }
}

QColor category(OutcomeCategory category)
{
    switch (category) {
    case OutcomeCategory::Success:
        return color(Role::Success);
    case OutcomeCategory::TooManyRequests:
        return color(Role::TooManyRequests);
    case OutcomeCategory::Unavailable:
        return color(Role::Unavailable);
    case OutcomeCategory::OtherServerError:
        return color(Role::ServerError);
    case OutcomeCategory::ClientError:
        return color(Role::ClientError);
    case OutcomeCategory::Timeout:
        return color(Role::Timeout);
    case OutcomeCategory::Reset:
        return color(Role::Network);
    case OutcomeCategory::Refused:
        return color(Role::Refused);
    case OutcomeCategory::RejectedByBreaker:
        return color(Role::BreakerRejection);
    case OutcomeCategory::RejectedByBudget:
        return color(Role::BudgetRejection);
    case OutcomeCategory::Other:
        break;
    }
    return color(Role::Neutral);
}

QColor outcomeTint(OutcomeClass o, int status)
{
    QColor c = outcome(o, status);
    c.setAlpha(o == OutcomeClass::Success ? 28 : 56);
    return c;
}

} // namespace retrylab::palette
