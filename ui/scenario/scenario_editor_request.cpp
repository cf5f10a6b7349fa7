// SPDX-License-Identifier: GPL-3.0-or-later
// The request side of the scenario editor: the body's JSON check, curl import and the
// endpoints remembered for the URL field.
#include "scenario/curl_import.h"
#include "scenario_editor.h"

#include <QComboBox>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QSettings>
#include <QStringListModel>
#include <QTableWidget>

using namespace Qt::StringLiterals;

namespace retrylab {

void ScenarioEditor::rememberEndpoint(const QUrl &url)
{
    QSettings settings;
    QStringList recent = settings.value(u"recentEndpoints"_s).toStringList();
    recent.removeAll(url.toString());
    recent.prepend(url.toString());
    recent = recent.mid(0, 12);
    settings.setValue(u"recentEndpoints"_s, recent);
    m_recentEndpoints->setStringList(recent);
}

QStringList ScenarioEditor::recentEndpoints() const
{
    return m_recentEndpoints->stringList();
}

void ScenarioEditor::checkBody()
{
    const QByteArray body = m_body->toPlainText().toUtf8().trimmed();
    const bool looksJson = body.startsWith('{') || body.startsWith('[');
    m_bodyCheck->setProperty("bad", false);
    m_bodyCheck->setStyleSheet({});
    // A POST turned into a GET keeps its body: say so where the body is, not only at Run.
    const QString method = m_method->currentText();
    if (!body.isEmpty() && (method == u"GET"_s || method == u"HEAD"_s)) {
        m_bodyCheck->setText(tr("⚠ a %1 with a body: it is sent as it is (most servers ignore "
                                "it); empty the body or choose POST")
                                 .arg(method));
        m_bodyCheck->setStyleSheet(u"color: #b26a00;"_s);
        return;
    }
    if (body.isEmpty() || !looksJson) {
        m_bodyCheck->setText(body.isEmpty() ? QString() : tr("Sent as typed (not JSON)."));
        return;
    }
    QJsonParseError error;
    QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError) {
        m_bodyCheck->setText(tr("✓ valid JSON"));
        return;
    }
    m_bodyCheck->setText(
        tr("not valid JSON at character %1: %2").arg(error.offset).arg(error.errorString()));
    m_bodyCheck->setProperty("bad", true);
    m_bodyCheck->setStyleSheet(u"color: #c62828;"_s);
}

QStringList ScenarioEditor::importCurl(const QString &command)
{
    const CurlImport r = retrylab::importCurl(command);
    if (!r.ok) {
        m_curlNotes->setText(tr("Nothing imported: %1").arg(r.error));
        return {r.error};
    }
    Scenario s = read();
    s.builtinServer = false;
    QUrl base = r.url;
    s.path = base.path().isEmpty() ? u"/"_s : base.path();
    if (base.hasQuery())
        s.path += u'?' + base.query();
    base.setPath(u"/"_s);
    base.setQuery(QString());
    s.url = base;
    s.method = r.method;
    s.headers = r.headers;
    s.body = r.body;
    // An Idempotency-Key in the command: the run makes its own, one per operation.
    if (!headerValues(s.headers, "idempotency-key").isEmpty()) {
        s.headers.removeIf([](const auto &h) {
            return h.first.compare("idempotency-key", Qt::CaseInsensitive) == 0;
        });
        s.keys = KeyMode::PerOperation;
    }
    s.simulated = false;
    setScenario(s);
    m_urlEdit->setText(base.toString());
    const QStringList notes = r.ignored;
    QString text = notes.isEmpty()
                       ? tr("Imported %1 %2.").arg(QString::fromLatin1(r.method), r.url.toString())
                       : tr("Imported, except:\n• %1").arg(notes.join(u"\n• "_s));
    if (r.policy)
        text += u'\n' + tr("Policy: %1.").arg(r.policyNote);
    m_curlNotes->setText(text);
    if (r.policy)
        Q_EMIT curlPolicyImported(*r.policy);
    Q_EMIT edited();
    return notes;
}

} // namespace retrylab
