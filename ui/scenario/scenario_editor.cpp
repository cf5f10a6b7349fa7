// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario_editor.h"

#include "policy/duration_edit.h"
#include "scenario/curl_import.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QStringListModel>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace retrylab {

ScenarioEditor::ScenarioEditor(QWidget *parent)
    : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    m_description = new QLabel;
    m_description->setObjectName(u"scenarioDescription"_s);
    m_description->setWordWrap(true);
    m_description->setTextFormat(Qt::RichText);
    m_description->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    outer->addWidget(m_description);
    auto *columns = new QHBoxLayout;
    outer->addLayout(columns, 1);
    columns->addWidget(createTargetBox(), 3);
    columns->addWidget(createLoadBox(), 2);
    connectFields();
}

QGroupBox *ScenarioEditor::createTargetBox()
{
    auto *targetBox = new QGroupBox(tr("Target and request"));
    auto *f = new QFormLayout(targetBox);
    auto *targetKind = new QWidget;
    auto *kindLayout = new QHBoxLayout(targetKind);
    kindLayout->setContentsMargins(0, 0, 0, 0);
    m_builtin = new QRadioButton(tr("Built-in flaky server"));
    m_builtin->setObjectName(u"target.builtin"_s);
    m_url = new QRadioButton(tr("A URL"));
    m_url->setObjectName(u"target.isUrl"_s);
    kindLayout->addWidget(m_builtin);
    kindLayout->addWidget(m_url);
    kindLayout->addStretch();
    m_rows.add(f, u"target.kind"_s, tr("Call"), targetKind,
               tr("The built-in server fails as its profile says; a URL is any real service"));
    m_urlEdit = new QLineEdit;
    m_urlEdit->setPlaceholderText(u"https://api.example.com/"_s);
    m_rows.add(f, u"target.url"_s, tr("URL"), m_urlEdit,
               tr("http:// or https://; the endpoints you ran are offered as you type"));
    m_recentEndpoints =
        new QStringListModel(QSettings().value(u"recentEndpoints"_s).toStringList(), this);
    auto *completer = new QCompleter(m_recentEndpoints, this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    m_urlEdit->setCompleter(completer);
    m_insecureHosts = new QLineEdit;
    m_insecureHosts->setObjectName(u"target.allowInvalidCertificatesFor"_s);
    m_insecureHosts->setPlaceholderText(tr("none: every certificate error fails the attempt"));
    m_rows.add(f, u"target.allowInvalidCertificatesFor"_s, tr("Accept bad certificates of"),
               m_insecureHosts,
               tr("Host names (comma-separated) whose invalid TLS certificates you accept, "
                  "for test servers; their attempts are marked in the log"));
    m_method = new QComboBox;
    for (const char *m : {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
        m_method->addItem(QString::fromLatin1(m));
    m_rows.add(f, u"request.method"_s, tr("Method"), m_method,
               tr("POST and PATCH are not idempotent: they are retried only with a key"));
    m_path = new QLineEdit;
    m_rows.add(f, u"request.path"_s, tr("Path"), m_path,
               tr("Appended to the target, e.g. /orders"));
    // Send once and curl import right under the request they send or fill, above the fold of
    // a 720-pixel screen; headers and body follow.
    addCurlRows(f);
    addHeaderRows(f);
    addBodyRows(f);
    return targetBox;
}

void ScenarioEditor::addHeaderRows(QFormLayout *f)
{
    m_headers = new QTableWidget(0, 2);
    m_headers->setObjectName(u"headersTable"_s);
    m_headers->setHorizontalHeaderLabels({tr("Header"), tr("Value")});
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->verticalHeader()->hide();
    m_headers->setMinimumHeight(90);
    auto *headerCell = new QWidget;
    auto *headerLayout = new QVBoxLayout(headerCell);
    headerLayout->setContentsMargins(0, 0, 0, 0);
    headerLayout->addWidget(m_headers);
    auto *headerButtons = new QHBoxLayout;
    auto *addHeader = new QPushButton(tr("Add header"));
    auto *removeHeader = new QPushButton(tr("Remove"));
    headerButtons->addWidget(addHeader);
    headerButtons->addWidget(removeHeader);
    headerButtons->addStretch();
    headerLayout->addLayout(headerButtons);
    m_rows.add(f, u"request.headers"_s, tr("Headers"), headerCell,
               tr("Sent with every attempt, beside X-Client-Id, X-Attempt and Idempotency-Key"));
    connect(addHeader, &QPushButton::clicked, this,
            [this] { m_headers->insertRow(m_headers->rowCount()); });
    connect(removeHeader, &QPushButton::clicked, this, [this] {
        if (m_headers->currentRow() >= 0)
            m_headers->removeRow(m_headers->currentRow());
        fieldEdited();
    });
}

void ScenarioEditor::addBodyRows(QFormLayout *f)
{
    m_body = new QPlainTextEdit;
    m_body->setObjectName(u"request.body"_s);
    m_body->setMaximumHeight(90);
    m_body->setPlaceholderText(u"{\"amount\": 1000, \"currency\": \"USD\"}"_s);
    m_bodyCheck = new QLabel;
    m_bodyCheck->setObjectName(u"bodyCheck"_s);
    auto *bodyCell = new QWidget;
    auto *bodyLayout = new QVBoxLayout(bodyCell);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    bodyLayout->addWidget(m_body);
    bodyLayout->addWidget(m_bodyCheck); // the check sits right under the text it checks
    bodyLayout->addStretch(1);
    f->addRow(tr("Body"), bodyCell);
    m_keys = new QComboBox;
    m_keys->addItem(tr("None"), u"none"_s);
    m_keys->addItem(tr("One per operation, reused by its retries"), u"per-operation"_s);
    m_keys->addItem(tr("A new one per attempt (the wrong way)"), u"per-attempt"_s);
    m_rows.add(f, u"request.idempotencyKeys"_s, tr("Idempotency-Key"), m_keys,
               tr("A key reused by the retries lets the server deduplicate them"));
}

void ScenarioEditor::addCurlRows(QFormLayout *f)
{
    auto *curl = new QPushButton(tr("Paste a curl command…"));
    curl->setObjectName(u"pasteCurl"_s);
    m_curlNotes = new QLabel;
    m_curlNotes->setObjectName(u"curlNotes"_s);
    m_curlNotes->setWordWrap(true);
    // Probing sits beside the request it sends: the main window's Send once action.
    m_sendOnce = new QToolButton;
    m_sendOnce->setObjectName(u"sendOnceButton"_s);
    m_sendOnce->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_sendOnce->hide(); // until setSendOnceAction
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_sendOnce);
    buttons->addWidget(curl);
    buttons->addStretch(1);
    f->addRow(buttons);
    f->addRow(m_curlNotes);
    connect(curl, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString command = QInputDialog::getMultiLineText(this, tr("Import a curl command"),
                                                               tr("Paste the command:"), {}, &ok);
        if (ok)
            importCurl(command);
    });
}

QGroupBox *ScenarioEditor::createLoadBox()
{
    auto *loadBox = new QGroupBox(tr("Load and clock"));
    auto *f = new QFormLayout(loadBox);
    m_clients = new QSpinBox;
    m_clients->setRange(0, 1'000'000);
    m_rows.add(f, u"load.clients"_s, tr("Clients"), m_clients,
               tr("Virtual clients, each with its own breaker and budget unless shared"));
    m_loadMode = new QComboBox;
    m_loadMode->addItem(tr("Operations per client"));
    m_loadMode->addItem(tr("Arrival rate"));
    m_rows.add(f, u"load.mode"_s, tr("Load"), m_loadMode,
               tr("Each client one operation after another, or operations arriving at a rate"));
    m_ops = new QSpinBox;
    m_ops->setRange(0, 100'000'000);
    m_rows.add(f, u"load.operationsPerClient"_s, tr("Operations each"), m_ops, {});
    m_rate = new QDoubleSpinBox;
    m_rate->setRange(0, 1e7);
    m_rate->setSuffix(tr(" /s"));
    m_rows.add(f, u"load.arrivalRatePerSecond"_s, tr("Rate"), m_rate, tr("Poisson arrivals"));
    m_duration = new DurationEdit;
    m_rows.add(f, u"load.durationMs"_s, tr("For"), m_duration, {});
    m_stagger = new DurationEdit;
    m_stagger->setZeroText(tr("all at once"));
    m_rows.add(f, u"load.staggerMs"_s, tr("Start over"), m_stagger,
               tr("Spread the clients' first operations over this window"));
    m_sharedBreaker = new QCheckBox(tr("One breaker for all clients"));
    m_rows.add(f, u"sharing.breaker"_s, {}, m_sharedBreaker, {});
    m_sharedBudget = new QCheckBox(tr("One retry budget for all clients"));
    m_rows.add(f, u"sharing.budget"_s, {}, m_sharedBudget, {});
    m_clock = new QComboBox;
    m_clock->addItem(tr("Real time, over HTTP"), u"real"_s);
    m_clock->addItem(tr("Simulated time, as fast as possible"), u"simulated"_s);
    m_rows.add(f, u"clock"_s, tr("Clock"), m_clock,
               tr("Simulated time needs the built-in server; it runs thousands of clients in "
                  "seconds"));
    m_seed = new QLineEdit;
    m_rows.add(f, u"seed"_s, tr("Seed"), m_seed, tr("The same seed replays the same decisions"));
    return loadBox;
}

void ScenarioEditor::fieldEdited()
{
    if (m_loading)
        return;
    updateVisibility();
    Q_EMIT edited();
}

void ScenarioEditor::connectFields()
{
    for (auto *b : {m_builtin, m_url})
        connect(b, &QRadioButton::toggled, this, &ScenarioEditor::fieldEdited);
    for (auto *e : {m_urlEdit, m_path, m_seed, m_insecureHosts})
        connect(e, &QLineEdit::textEdited, this, &ScenarioEditor::fieldEdited);
    for (auto *e : {m_duration, m_stagger})
        connect(e, &QLineEdit::textEdited, this, &ScenarioEditor::fieldEdited);
    for (auto *c : {m_method, m_keys, m_loadMode, m_clock})
        connect(c, &QComboBox::currentIndexChanged, this, &ScenarioEditor::fieldEdited);
    connect(m_method, &QComboBox::currentIndexChanged, this, &ScenarioEditor::checkBody);
    for (auto *s : {m_clients, m_ops})
        connect(s, &QSpinBox::valueChanged, this, &ScenarioEditor::fieldEdited);
    connect(m_rate, &QDoubleSpinBox::valueChanged, this, &ScenarioEditor::fieldEdited);
    for (auto *c : {m_sharedBreaker, m_sharedBudget})
        connect(c, &QCheckBox::toggled, this, &ScenarioEditor::fieldEdited);
    connect(m_headers, &QTableWidget::cellChanged, this, &ScenarioEditor::fieldEdited);
    connect(m_body, &QPlainTextEdit::textChanged, this, [this] {
        checkBody();
        fieldEdited();
    });
}

void ScenarioEditor::setScenario(const Scenario &s)
{
    m_loading = true;
    m_base = s;
    m_description->setText(u"<b>%1</b>%2"_s.arg(
        s.name.toHtmlEscaped(),
        s.description.isEmpty() ? QString() : u"<br>"_s + s.description.toHtmlEscaped()));
    m_builtin->setChecked(s.builtinServer);
    m_url->setChecked(!s.builtinServer);
    m_urlEdit->setText(s.url.toString());
    m_insecureHosts->setText(s.allowInvalidCertificates.join(u", "_s));
    m_method->setCurrentText(QString::fromLatin1(s.method));
    m_path->setText(s.path);
    m_headers->setRowCount(0);
    for (const auto &[name, value] : s.headers) {
        const int row = m_headers->rowCount();
        m_headers->insertRow(row);
        m_headers->setItem(row, 0, new QTableWidgetItem(QString::fromLatin1(name)));
        m_headers->setItem(row, 1, new QTableWidgetItem(QString::fromUtf8(value)));
    }
    m_body->setPlainText(QString::fromUtf8(s.body));
    m_keys->setCurrentIndex(m_keys->findData(keyModeId(s.keys)));
    m_clients->setValue(s.clients);
    m_loadMode->setCurrentIndex(s.arrivalRatePerSecond > 0 ? 1 : 0);
    m_ops->setValue(s.operationsPerClient);
    m_rate->setValue(s.arrivalRatePerSecond > 0 ? s.arrivalRatePerSecond : 10.0);
    m_duration->setDuration(s.duration);
    m_stagger->setDuration(s.stagger);
    m_sharedBreaker->setChecked(s.sharedBreaker);
    m_sharedBudget->setChecked(s.sharedBudget);
    m_clock->setCurrentIndex(s.simulated ? 1 : 0);
    m_seed->setText(QString::number(s.seed));
    m_loading = false;
    checkBody();
    updateVisibility();
}

Scenario ScenarioEditor::draft(const ClientPolicy &policy) const
{
    Scenario s = read();
    s.policy = policy;
    return s;
}

Scenario ScenarioEditor::read() const
{
    Scenario s = m_base;
    s.builtinServer = m_builtin->isChecked();
    s.url = QUrl(m_urlEdit->text().trimmed(), QUrl::StrictMode);
    s.allowInvalidCertificates.clear();
    for (const QString &h : m_insecureHosts->text().split(u',', Qt::SkipEmptyParts))
        if (!h.trimmed().isEmpty())
            s.allowInvalidCertificates << h.trimmed().toLower();
    s.method = m_method->currentText().toLatin1();
    s.path = m_path->text().trimmed();
    s.headers.clear();
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        const auto *name = m_headers->item(row, 0);
        const auto *value = m_headers->item(row, 1);
        if (name && !name->text().trimmed().isEmpty())
            s.headers.append(
                {name->text().trimmed().toLatin1(), value ? value->text().toUtf8() : QByteArray()});
    }
    s.body = m_body->toPlainText().toUtf8();
    s.keys = m_keys->currentIndex() == 1   ? KeyMode::PerOperation
             : m_keys->currentIndex() == 2 ? KeyMode::PerAttempt
                                           : KeyMode::None;
    s.clients = m_clients->value();
    s.operationsPerClient = m_ops->value();
    s.arrivalRatePerSecond = m_loadMode->currentIndex() == 1 ? m_rate->value() : 0.0;
    s.duration = m_duration->duration().value_or(s.duration);
    s.stagger = m_stagger->duration().value_or(s.stagger);
    s.sharedBreaker = m_sharedBreaker->isChecked();
    s.sharedBudget = m_sharedBudget->isChecked();
    s.simulated = m_clock->currentIndex() == 1;
    s.seed = m_seed->text().trimmed().toULongLong();
    return s;
}

std::optional<Scenario> ScenarioEditor::scenario(const ClientPolicy &policy)
{
    Scenario s = read();
    s.policy = policy;
    // The core checks the scenario as it would check a file: write it out, read it back.
    FieldProblems problems;
    QJsonObject json = s.toJson();
    if (!s.builtinServer) // the URL field holds the text as typed, checked by the core
        json[u"target"_s] = QJsonObject{{u"kind"_s, u"url"_s},
                                        {u"url"_s, m_urlEdit->text().trimmed()},
                                        {u"allowInvalidCertificatesFor"_s,
                                         QJsonArray::fromStringList(s.allowInvalidCertificates)}};
    bool seedOk = false;
    m_seed->text().trimmed().toULongLong(&seedOk);
    if (!seedOk)
        problems.append({u"seed"_s, tr("must be a whole number")});
    if (!m_duration->duration())
        problems.append({u"load.durationMs"_s, m_duration->error()});
    if (!m_stagger->duration())
        problems.append({u"load.staggerMs"_s, m_stagger->error()});
    auto checked = Scenario::fromJson(json, &problems);
    if (!m_bodyCheck->text().isEmpty() && m_bodyCheck->property("bad").toBool())
        problems.append({u"request.body"_s, m_bodyCheck->text()});
    m_problems = problems;
    m_rows.show(problems);
    if (!problems.isEmpty())
        return std::nullopt;
    checked->policy = policy;
    checked->profile = s.profile;
    return checked;
}

void ScenarioEditor::setSendOnceAction(QAction *action)
{
    m_sendOnce->setDefaultAction(action);
    m_sendOnce->setVisible(action != nullptr);
}

void ScenarioEditor::setSimulated(bool simulated)
{
    m_clock->setCurrentIndex(simulated ? 1 : 0); // emits edited() when it changes
}

void ScenarioEditor::updateVisibility()
{
    const bool url = m_url->isChecked();
    m_rows.setRowVisible(u"target.url"_s, url);
    m_rows.setRowVisible(u"target.allowInvalidCertificatesFor"_s, url);
    const bool rate = m_loadMode->currentIndex() == 1;
    m_rows.setRowVisible(u"load.operationsPerClient"_s, !rate);
    m_rows.setRowVisible(u"load.arrivalRatePerSecond"_s, rate);
    m_rows.setRowVisible(u"load.durationMs"_s, rate);
}

} // namespace retrylab
