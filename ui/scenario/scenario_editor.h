// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "policy/field_rows.h"
#include "scenario/scenario.h"

#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QRadioButton;
class QSpinBox;
class QStringListModel;
class QTableWidget;
class QToolButton;

namespace retrylab {

class DurationEdit;

// Edits the parts of a scenario that are not the policy: the target (built-in server or a
// URL), the request (method, path, headers, body, idempotency keys), the load, and the clock.
// Each problem the core finds is shown under its field; what was typed is never lost.
class ScenarioEditor : public QWidget
{
    Q_OBJECT
public:
    explicit ScenarioEditor(QWidget *parent = nullptr);

    void setScenario(const Scenario &scenario);
    // The scenario with `policy`, or nullopt (with the problems shown) while a field is wrong.
    std::optional<Scenario> scenario(const ClientPolicy &policy);
    FieldProblems problems() const { return m_problems; }
    // What the fields hold now, checked or not: for advice while typing.
    Scenario draft(const ClientPolicy &policy) const;

    // Fills the target and request from a curl command. Returns what could not be imported
    // (or why nothing was), also shown under the button.
    QStringList importCurl(const QString &command);
    // Endpoints the person ran against, newest first, offered by the URL field.
    void rememberEndpoint(const QUrl &url);
    QStringList recentEndpoints() const;
    void setSimulated(bool simulated); // the clock, as the toolbar's switch sets it
    // The button beside the request that sends it once (the main window's action).
    void setSendOnceAction(QAction *action);

Q_SIGNALS:
    void edited();
    // A pasted curl command carried its own retries (--retry, --max-time, ...): the policy
    // that behaves as curl would, for the policy editor.
    void curlPolicyImported(const retrylab::ClientPolicy &policy);

private:
    // The constructor's parts, one for each group of fields.
    QGroupBox *createTargetBox();
    void addHeaderRows(QFormLayout *form);
    void addBodyRows(QFormLayout *form);
    void addCurlRows(QFormLayout *form);
    QGroupBox *createLoadBox();
    void connectFields();
    void fieldEdited(); // any field changed by the person (not by setScenario)
    void updateVisibility();
    void checkBody();
    Scenario read() const;

    FieldRows m_rows;
    Scenario m_base; // what the editor does not show (profile, name, simulation settings)
    QRadioButton *m_builtin = nullptr;
    QRadioButton *m_url = nullptr;
    QLabel *m_description = nullptr;
    QLineEdit *m_urlEdit = nullptr;
    QLineEdit *m_insecureHosts = nullptr;
    QStringListModel *m_recentEndpoints = nullptr;
    QComboBox *m_method = nullptr;
    QLineEdit *m_path = nullptr;
    QTableWidget *m_headers = nullptr;
    QPlainTextEdit *m_body = nullptr;
    QLabel *m_bodyCheck = nullptr;
    QComboBox *m_keys = nullptr;
    QLabel *m_curlNotes = nullptr;
    QToolButton *m_sendOnce = nullptr;
    QSpinBox *m_clients = nullptr;
    QComboBox *m_loadMode = nullptr;
    QSpinBox *m_ops = nullptr;
    QDoubleSpinBox *m_rate = nullptr;
    DurationEdit *m_duration = nullptr;
    DurationEdit *m_stagger = nullptr;
    QCheckBox *m_sharedBreaker = nullptr;
    QCheckBox *m_sharedBudget = nullptr;
    QComboBox *m_clock = nullptr;
    QLineEdit *m_seed = nullptr;
    FieldProblems m_problems;
    bool m_loading = false;
};

} // namespace retrylab
