// SPDX-License-Identifier: GPL-3.0-or-later
#include "server_panel.h"

#include "clients_view.h"
#include "mock/mock_server_host.h"

#include <QComboBox>
#include <QDialog>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

QSpinBox *spin(int min, int max, const QString &suffix, const QString &name)
{
    auto *s = new QSpinBox;
    s->setRange(min, max);
    s->setSuffix(suffix);
    s->setObjectName(name);
    return s;
}

QDoubleSpinBox *percent(const QString &name)
{
    auto *s = new QDoubleSpinBox;
    s->setRange(0, 100);
    s->setDecimals(1);
    s->setSuffix(u" %"_s);
    s->setObjectName(name);
    return s;
}

int weightOf(const RouteProfile &r, int status)
{
    double total = 0;
    double w = 0;
    for (const auto &s : r.statuses) {
        total += s.weight;
        if (s.status == status)
            w += s.weight;
    }
    return total > 0 ? qRound(100.0 * w / total) : 0;
}

} // namespace

ServerPanel::ServerPanel(MockServerHost *server, QWidget *parent)
    : QWidget(parent)
    , m_server(server)
{
    auto *layout = new QVBoxLayout(this);
    m_ready = new QComboBox;
    m_ready->setObjectName(u"readyProfiles"_s);
    for (const QString &name : FaultProfile::readyProfiles())
        m_ready->addItem(name);
    auto *top = new QFormLayout;
    top->addRow(tr("Profile"), m_ready);
    layout->addLayout(top);
    layout->addWidget(createMixBox());
    layout->addWidget(createRetryAfterBox());
    layout->addWidget(createFaultBox());
    setToolTips();
    layout->addLayout(createDownRow());
    auto *clients = new QPushButton(tr("Clients…"));
    clients->setObjectName(u"gradeClients"_s);
    clients->setToolTip(tr("How each client that talked to this server retries: its report "
                           "card, its attempts and the server's answers"));
    connect(clients, &QPushButton::clicked, this, &ServerPanel::showClients);
    layout->addWidget(clients);

    m_stats = new QLabel;
    m_stats->setObjectName(u"serverStats"_s);
    m_stats->setWordWrap(true);
    layout->addWidget(m_stats);
    m_lastRun = new QLabel;
    m_lastRun->setObjectName(u"lastRunServer"_s);
    m_lastRun->setWordWrap(true);
    m_lastRun->hide();
    layout->addWidget(m_lastRun);
    layout->addStretch();

    m_timer = new QTimer(this);
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &ServerPanel::refreshStats);
    m_timer->start();
    connectControls();
}

QGroupBox *ServerPanel::createMixBox()
{
    auto *mixBox = new QGroupBox(tr("Status mix (first route)"));
    auto *mix = new QFormLayout(mixBox);
    mix->setRowWrapPolicy(QFormLayout::WrapLongRows); // a narrow dock: labels above
    m_ok = spin(0, 100, u" %"_s, u"mix200"_s);
    m_429 = spin(0, 100, u" %"_s, u"mix429"_s);
    m_500 = spin(0, 100, u" %"_s, u"mix500"_s);
    m_503 = spin(0, 100, u" %"_s, u"mix503"_s);
    mix->addRow(tr("200 OK"), m_ok);
    mix->addRow(tr("429 Too Many Requests"), m_429);
    mix->addRow(tr("500 Internal Server Error"), m_500);
    mix->addRow(tr("503 Service Unavailable"), m_503);
    m_latency = spin(0, 60000, u" ms"_s, u"latency"_s);
    mix->addRow(tr("Latency"), m_latency);
    return mixBox;
}

QGroupBox *ServerPanel::createRetryAfterBox()
{
    auto *raBox = new QGroupBox(tr("Retry-After on 429 and 503"));
    auto *ra = new QFormLayout(raBox);
    ra->setRowWrapPolicy(QFormLayout::WrapLongRows); // a narrow dock: labels above
    m_raMin = spin(0, 86400, u" s"_s, u"retryAfterMin"_s);
    m_raMax = spin(0, 86400, u" s"_s, u"retryAfterMax"_s);
    m_raForm = new QComboBox;
    m_raForm->setObjectName(u"retryAfterForm"_s);
    m_raForm->addItems({u"seconds"_s, u"http-date"_s, u"rfc850"_s, u"asctime"_s, u"mixed"_s});
    ra->addRow(tr("From"), m_raMin);
    ra->addRow(tr("To"), m_raMax);
    ra->addRow(tr("Written as"), m_raForm);
    return raBox;
}

QGroupBox *ServerPanel::createFaultBox()
{
    auto *faultBox = new QGroupBox(tr("Capacity and faults"));
    auto *faults = new QFormLayout(faultBox);
    faults->setRowWrapPolicy(QFormLayout::WrapLongRows); // a narrow dock: labels above
    m_capacity = spin(0, 100000, {}, u"capacity"_s);
    m_capacity->setSpecialValueText(tr("unlimited"));
    faults->addRow(tr("At most at once"), m_capacity);
    m_reset = percent(u"reset"_s);
    m_hang = percent(u"hang"_s);
    m_lose = percent(u"commitThenLose"_s);
    faults->addRow(tr("Reset the connection"), m_reset);
    faults->addRow(tr("Hang"), m_hang);
    faults->addRow(tr("Commit, then lose the answer"), m_lose);
    m_failFirst = spin(0, 1000, {}, u"failFirst"_s);
    m_failFirst->setSpecialValueText(tr("none"));
    faults->addRow(tr("Fail the first N per key"), m_failFirst);
    m_idempotency = new QComboBox;
    m_idempotency->setObjectName(u"idempotencyMode"_s);
    m_idempotency->addItem(tr("IETF draft (422 on reuse)"), u"ietf"_s);
    m_idempotency->addItem(tr("Stripe (400 idempotency_error)"), u"stripe"_s);
    faults->addRow(tr("Idempotency keys"), m_idempotency);
    return faultBox;
}

void ServerPanel::setToolTips()
{
    // Every control says what it changes; they act at once, during a run too.
    const std::pair<QWidget *, QString> tips[] = {
        {m_ready, tr("A ready fault profile: replaces everything below")},
        {m_ok, tr("Share of requests answered 200; the four shares are weights")},
        {m_429, tr("Share answered 429 Too Many Requests (with Retry-After)")},
        {m_500, tr("Share answered 500 Internal Server Error")},
        {m_503, tr("Share answered 503 Service Unavailable (with Retry-After)")},
        {m_latency, tr("How long the server takes to answer")},
        {m_raMin, tr("The shortest wait Retry-After asks for")},
        {m_raMax, tr("The longest wait Retry-After asks for")},
        {m_raForm, tr("How Retry-After is written: delay-seconds or one of the three HTTP-date "
                      "forms (RFC 9110), or a mix")},
        {m_capacity, tr("Requests handled at the same time; the rest get 503")},
        {m_reset, tr("Share of connections closed without an answer")},
        {m_hang, tr("Share of requests that get no answer at all (the client's timeout ends "
                    "them)")},
        {m_lose, tr("Share of requests carried out whose answer is then lost: a retry without "
                    "an idempotency key charges twice")},
        {m_failFirst, tr("Fail the first N attempts of each idempotency key or client, then "
                         "succeed")},
        {m_idempotency, tr("How the server answers a reused key with a different request")},
    };
    for (const auto &[widget, tip] : tips)
        widget->setToolTip(tip);
}

QHBoxLayout *ServerPanel::createDownRow()
{
    auto *down = new QHBoxLayout;
    auto *takeDown = new QPushButton(tr("Take down"));
    takeDown->setObjectName(u"takeDown"_s);
    takeDown->setToolTip(tr("Answer 503 to everything from now on, for this long"));
    QFont big = takeDown->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    takeDown->setFont(big);
    m_downFor = spin(1, 3600, u" s"_s, u"downFor"_s);
    m_downFor->setValue(10);
    down->addWidget(takeDown, 1);
    down->addWidget(new QLabel(tr("for")));
    down->addWidget(m_downFor);
    connect(takeDown, &QPushButton::clicked, this, [this] {
        m_server->takeDown(std::chrono::seconds(m_downFor->value()));
        refreshStats();
    });
    return down;
}

void ServerPanel::connectControls()
{
    connect(m_ready, &QComboBox::activated, this, [this] {
        if (auto p = FaultProfile::ready(m_ready->currentText())) {
            showProfile(*p);
            apply();
        }
    });
    for (auto *s :
         {m_ok, m_429, m_500, m_503, m_latency, m_raMin, m_raMax, m_capacity, m_failFirst})
        connect(s, &QSpinBox::valueChanged, this, &ServerPanel::apply);
    for (auto *s : {m_reset, m_hang, m_lose})
        connect(s, &QDoubleSpinBox::valueChanged, this, &ServerPanel::apply);
    for (auto *c : {m_raForm, m_idempotency})
        connect(c, &QComboBox::currentIndexChanged, this, &ServerPanel::apply);
}

void ServerPanel::showProfile(const FaultProfile &profile)
{
    m_loading = true;
    m_profile = profile;
    if (m_profile.routes.isEmpty())
        m_profile.routes << RouteProfile{};
    const RouteProfile &r = m_profile.routes.front();
    // A scenario's own profile is not among the ready ones: list it, so the dock names what
    // the server runs (as the toolbar does) instead of the last ready profile chosen.
    const QStringList ready = FaultProfile::readyProfiles();
    while (m_ready->count() > ready.size())
        m_ready->removeItem(m_ready->count() - 1);
    if (m_ready->findText(profile.name) < 0)
        m_ready->addItem(profile.name);
    m_ready->setCurrentText(profile.name);
    m_ok->setValue(weightOf(r, 200) + weightOf(r, 201));
    m_429->setValue(weightOf(r, 429));
    m_500->setValue(weightOf(r, 500));
    m_503->setValue(weightOf(r, 503));
    m_latency->setValue(qRound(r.latency.kind == u"fixed"_s ? r.latency.ms
                               : r.latency.kind == u"uniform"_s
                                   ? (r.latency.minMs + r.latency.maxMs) / 2
                               : r.latency.kind == u"normal"_s ? r.latency.meanMs
                                                               : r.latency.medianMs));
    m_raMin->setValue(r.retryAfter.minSeconds);
    m_raMax->setValue(r.retryAfter.maxSeconds);
    m_raForm->setCurrentText(r.retryAfter.form);
    m_capacity->setValue(profile.capacity.maxConcurrent);
    m_reset->setValue(100.0 * r.faults.reset);
    m_hang->setValue(100.0 * r.faults.hang);
    m_lose->setValue(100.0 * r.faults.commitThenLose);
    m_failFirst->setValue(r.failFirst.count);
    m_idempotency->setCurrentIndex(profile.idempotency.mode == u"stripe"_s ? 1 : 0);
    m_loading = false;
}

FaultProfile ServerPanel::editedProfile() const
{
    FaultProfile p = m_profile;
    RouteProfile &r = p.routes.front();
    const int success = r.statuses.isEmpty() ? 200 : r.statuses.front().status;
    r.statuses.clear();
    const std::pair<int, int> mix[] = {
        {success >= 200 && success < 300 ? success : 200, m_ok->value()},
        {429, m_429->value()},
        {500, m_500->value()},
        {503, m_503->value()}};
    for (const auto &[status, weight] : mix)
        if (weight > 0)
            r.statuses.append({status, weight / 100.0});
    if (r.statuses.isEmpty())
        r.statuses.append({200, 1.0});
    if (m_latency->value() != qRound(r.latency.kind == u"fixed"_s ? r.latency.ms : -1.0)) {
        r.latency = LatencySpec{};
        r.latency.ms = m_latency->value();
    }
    r.retryAfter.minSeconds = m_raMin->value();
    r.retryAfter.maxSeconds = std::max(m_raMin->value(), m_raMax->value());
    r.retryAfter.form = m_raForm->currentText();
    p.capacity.maxConcurrent = m_capacity->value();
    r.faults.reset = m_reset->value() / 100.0;
    r.faults.hang = m_hang->value() / 100.0;
    r.faults.commitThenLose = m_lose->value() / 100.0;
    const double total = r.faults.total();
    if (total > 1.0) { // keep the sum a probability
        r.faults.reset /= total;
        r.faults.hang /= total;
        r.faults.commitThenLose /= total;
    }
    r.failFirst.count = m_failFirst->value();
    p.idempotency.mode = m_idempotency->currentData().toString();
    return p;
}

void ServerPanel::apply()
{
    if (m_loading)
        return;
    m_profile = editedProfile();
    m_server->setProfile(m_profile);
    Q_EMIT profileApplied();
}

void ServerPanel::showLastRun(const std::optional<RunSummary> &summary)
{
    m_lastRun->setVisible(summary.has_value());
    if (!summary)
        return;
    const RunSummary &s = *summary;
    QStringList parts{
        tr("%1 requests").arg(s.serverRequests >= 0 ? s.serverRequests : s.attemptsSent)};
    if (s.duplicates >= 0)
        parts << tr("duplicate charges: %1").arg(s.duplicates);
    if (s.retryAfterJudged > 0)
        parts << tr("Retry-After: %1 early of %2")
                     .arg(s.retryAfterViolations)
                     .arg(s.retryAfterJudged);
    m_lastRun->setText(tr("<b>Last run, in simulated time</b> (its own copy of this server): %1")
                           .arg(parts.join(u" · "_s)));
}

void ServerPanel::refreshStats()
{
    if (!m_server->isRunning() || !isVisible())
        return;
    const ServerStats s = m_server->stats();
    m_stats->setText(
        tr("<b>This server, live:</b> %1 requests, %2 in the last second, %3 in "
           "flight · Retry-After: %4 early of %5 · "
           "duplicate charges: %6%7")
            .arg(s.requests)
            .arg(s.requestsLastSecond)
            .arg(s.inFlight)
            .arg(s.retryAfterViolations)
            .arg(s.retryAfterJudged)
            .arg(s.duplicates)
            .arg(s.outageActive
                     ? tr(" · DOWN for %1 s more").arg(qRound(toMs(s.outageEndsIn) / 1000))
                     : QString()));
}

ClientsView *ServerPanel::showClients()
{
    if (!m_clientsWindow) {
        m_clientsWindow = new QDialog(this);
        m_clientsWindow->setObjectName(u"clientsWindow"_s);
        m_clientsWindow->setWindowTitle(tr("Clients of the built-in server"));
        auto *layout = new QVBoxLayout(m_clientsWindow);
        m_clients = new ClientsView(m_server);
        layout->addWidget(m_clients);
        m_clientsWindow->resize(1280, 760);
    }
    m_clients->refresh();
    m_clientsWindow->show();
    m_clientsWindow->raise();
    return m_clients;
}

} // namespace retrylab
