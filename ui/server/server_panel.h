// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/run_summary.h"
#include "mock/fault_profile.h"

#include <QWidget>

class QComboBox;
class QDialog;
class QDoubleSpinBox;
class QGroupBox;
class QHBoxLayout;
class QLabel;
class QSpinBox;
class QTimer;

namespace retrylab {

class ClientsView;
class MockServerHost;

// The built-in server's behaviour as controls that act at once, even while a run is going:
// the ready profiles, the status mix, latency, Retry-After, capacity, connection faults,
// "fail the first N", the idempotency mode, and a button that takes the server down.
// The controls edit the profile's first route; the profile itself is the core's.
class ServerPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ServerPanel(MockServerHost *server, QWidget *parent = nullptr);

    // Shows `profile` in the controls (without sending it to the server).
    void showProfile(const FaultProfile &profile);
    FaultProfile editedProfile() const;
    // What the server of the last simulated run counted: that run had a copy of this server
    // of its own, so the live numbers below stay at zero. nullopt hides it.
    void showLastRun(const std::optional<RunSummary> &summary);
    // The report cards of the clients that talked to the server, in a window of their own.
    ClientsView *showClients();

Q_SIGNALS:
    void profileApplied(); // the person changed the server's behaviour from here

private:
    // The constructor's parts, one for each group of controls.
    QGroupBox *createMixBox();
    QGroupBox *createRetryAfterBox();
    QGroupBox *createFaultBox();
    void setToolTips();
    QHBoxLayout *createDownRow();
    void connectControls();
    void apply();
    void refreshStats();

    MockServerHost *m_server;
    FaultProfile m_profile;
    QComboBox *m_ready = nullptr;
    QSpinBox *m_ok = nullptr;
    QSpinBox *m_429 = nullptr;
    QSpinBox *m_500 = nullptr;
    QSpinBox *m_503 = nullptr;
    QSpinBox *m_latency = nullptr;
    QSpinBox *m_raMin = nullptr;
    QSpinBox *m_raMax = nullptr;
    QComboBox *m_raForm = nullptr;
    QSpinBox *m_capacity = nullptr;
    QDoubleSpinBox *m_reset = nullptr;
    QDoubleSpinBox *m_hang = nullptr;
    QDoubleSpinBox *m_lose = nullptr;
    QSpinBox *m_failFirst = nullptr;
    QComboBox *m_idempotency = nullptr;
    QSpinBox *m_downFor = nullptr;
    QLabel *m_stats = nullptr;
    QLabel *m_lastRun = nullptr;
    QTimer *m_timer = nullptr;
    QDialog *m_clientsWindow = nullptr;
    ClientsView *m_clients = nullptr;
    bool m_loading = false;
};

} // namespace retrylab
