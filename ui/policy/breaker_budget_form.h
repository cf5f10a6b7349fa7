// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "field_rows.h"
#include "policy/circuit_breaker.h"
#include "policy/retry_budget.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QSpinBox;

namespace retrylab {

class DurationEdit;

// The fields of the circuit breaker and of the retry budget.
class BreakerBudgetForm : public QWidget
{
    Q_OBJECT
public:
    explicit BreakerBudgetForm(QWidget *parent = nullptr);

    void setConfig(const BreakerConfig &breaker, const BudgetConfig &budget);
    void read(BreakerConfig &breaker, BudgetConfig &budget, FieldProblems &problems) const;
    FieldRows &rows() { return m_rows; }

Q_SIGNALS:
    void edited();

private:
    QGroupBox *breakerGroup();
    QGroupBox *budgetGroup();
    void updateVisibility();

    FieldRows m_rows;
    QCheckBox *m_enabled = nullptr;
    QComboBox *m_rule = nullptr;
    QSpinBox *m_consecutive = nullptr;
    QDoubleSpinBox *m_threshold = nullptr;
    QComboBox *m_window = nullptr;
    QSpinBox *m_windowCalls = nullptr;
    DurationEdit *m_windowTime = nullptr;
    QSpinBox *m_minimumCalls = nullptr;
    DurationEdit *m_openDuration = nullptr;
    QDoubleSpinBox *m_openGrowth = nullptr;
    DurationEdit *m_maxOpen = nullptr;
    QSpinBox *m_probes = nullptr;

    QComboBox *m_budgetKind = nullptr;
    QDoubleSpinBox *m_maxTokens = nullptr;
    QDoubleSpinBox *m_tokenRatio = nullptr;
    QSpinBox *m_capacity = nullptr;
    QSpinBox *m_retryCost = nullptr;
    QSpinBox *m_timeoutCost = nullptr;
    QSpinBox *m_reward = nullptr;
    bool m_loading = false;
};

} // namespace retrylab
