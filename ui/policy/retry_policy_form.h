// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "field_rows.h"
#include "policy/retry_policy.h"

#include <QHash>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QVBoxLayout;

namespace retrylab {

class DurationEdit;

// The fields of one RetryPolicy: backoff, attempts and time, what is retried, Retry-After and
// idempotency. It only edits; checking is the core's (RetryPolicy::validate).
class RetryPolicyForm : public QWidget
{
    Q_OBJECT
public:
    explicit RetryPolicyForm(QWidget *parent = nullptr);

    void setPolicy(const RetryPolicy &policy);
    // Reads the fields into `policy`; text that does not parse becomes a problem instead.
    void read(RetryPolicy &policy, FieldProblems &problems) const;
    FieldRows &rows() { return m_rows; }

Q_SIGNALS:
    void edited();

private:
    void addBackoffGroup(QVBoxLayout *column);
    void addAttemptsGroup(QVBoxLayout *column);
    void addRetriedGroup(QVBoxLayout *column);
    void addRetryAfterGroup(QVBoxLayout *column);
    void connectEdits();
    void updateVisibility();

    FieldRows m_rows;
    QComboBox *m_kind = nullptr;
    QLabel *m_formula = nullptr;
    DurationEdit *m_base = nullptr;
    DurationEdit *m_cap = nullptr;
    QDoubleSpinBox *m_multiplier = nullptr;
    QDoubleSpinBox *m_jitter = nullptr;
    QSpinBox *m_firstExponent = nullptr;
    QSpinBox *m_maxAttempts = nullptr;
    DurationEdit *m_totalBudget = nullptr;
    DurationEdit *m_attemptTimeout = nullptr;
    DurationEdit *m_minWindow = nullptr;
    QComboBox *m_overrun = nullptr;
    QLineEdit *m_statuses = nullptr;
    QHash<OutcomeClass, QCheckBox *> m_failures;
    QComboBox *m_retryAfterMode = nullptr;
    QCheckBox *m_fromAttemptStart = nullptr;
    DurationEdit *m_retryAfterCap = nullptr;
    QCheckBox *m_withKey = nullptr;
    QCheckBox *m_withoutKey = nullptr;
    QCheckBox *m_inFlight = nullptr;
    QCheckBox *m_waitForBreaker = nullptr;
    bool m_loading = false;
};

} // namespace retrylab
