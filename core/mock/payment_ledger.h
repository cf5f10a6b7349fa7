// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>

namespace retrylab {

// The effects of POST /payments, counted per logical operation: a duplicate charge is a
// second effect of the same operation. The operation is X-Operation-Id when the client sends
// it, else the idempotency key, else the client id with the payload's fingerprint.
class PaymentLedger
{
public:
    // Records one effect and returns the new payment's number; `duplicate` says whether the
    // operation had been charged before.
    qint64 charge(const QString &operation, bool *duplicate = nullptr)
    {
        int &n = m_effects[operation];
        if (++n > 1)
            ++m_duplicates;
        if (duplicate)
            *duplicate = n > 1;
        return ++m_payments;
    }
    qint64 payments() const { return m_payments; }
    qint64 duplicates() const { return m_duplicates; }
    qint64 operations() const { return m_effects.size(); }
    void clear()
    {
        m_effects.clear();
        m_payments = m_duplicates = 0;
    }

private:
    QHash<QString, int> m_effects;
    qint64 m_payments = 0;
    qint64 m_duplicates = 0;
};

} // namespace retrylab
