// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "policy/client_policy.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QGroupBox;
class QHBoxLayout;
class QLabel;
class QTableWidget;
class QToolButton;

namespace retrylab {

class BreakerBudgetForm;
class RetryPolicyForm;

// Edits a ClientPolicy: the library presets, every field of the retry policy, breaker and
// budget with each problem shown under its field, the core's advice, and a preview of one
// failing operation's waits. The checking and the preview are the core's; this only shows.
class PolicyEditor : public QWidget
{
    Q_OBJECT
public:
    explicit PolicyEditor(QWidget *parent = nullptr);

    void setPolicy(const ClientPolicy &policy);
    // The policy as last edited, or nullopt while any field is invalid.
    std::optional<ClientPolicy> policy() const;
    FieldProblems problems() const { return m_problems; }
    void applyPreset(const QString &id);
    // Advice that depends on the rest of the scenario (clients, method, keys), from the core.
    void setScenarioAdvice(const FieldProblems &advice);

Q_SIGNALS:
    // A valid policy after an edit. While fields are invalid nothing is emitted.
    void policyChanged(const retrylab::ClientPolicy &policy);
    void validityChanged(bool valid);

private:
    QHBoxLayout *presetRow();
    QToolButton *copyAsCodeButton();
    QGroupBox *previewGroup();
    void onEdited();
    void showPreview(const ClientPolicy &policy);

    QComboBox *m_presets = nullptr;
    QLabel *m_presetDescription = nullptr;
    QLabel *m_presetSource = nullptr;
    RetryPolicyForm *m_retryForm = nullptr;
    BreakerBudgetForm *m_breakerForm = nullptr;
    QLabel *m_advice = nullptr;
    QLabel *m_summary = nullptr;
    QTableWidget *m_preview = nullptr;
    ClientPolicy m_policy;
    FieldProblems m_problems;
    FieldProblems m_context;
    bool m_valid = true;
};

} // namespace retrylab
