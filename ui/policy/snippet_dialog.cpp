// SPDX-License-Identifier: GPL-3.0-or-later
#include "snippet_dialog.h"

#include "base/atomic_file.h"

#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace retrylab {

SnippetDialog::SnippetDialog(const ClientPolicy &policy, SnippetTarget target, QWidget *parent)
    : QDialog(parent)
    , m_policy(policy)
{
    setWindowTitle(tr("Policy as code"));
    auto *layout = new QVBoxLayout(this);
    m_target = new QComboBox;
    m_target->setObjectName(u"snippetTarget"_s);
    for (SnippetTarget t : snippet::all())
        m_target->addItem(snippet::title(t), int(t));
    m_target->setToolTip(tr("The library to write the policy for"));
    layout->addWidget(m_target);
    m_text = new QPlainTextEdit;
    m_text->setObjectName(u"snippetText"_s);
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    layout->addWidget(m_text, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton *copy = buttons->addButton(tr("&Copy"), QDialogButtonBox::ActionRole);
    copy->setObjectName(u"copySnippet"_s);
    QPushButton *save = buttons->addButton(tr("&Save…"), QDialogButtonBox::ActionRole);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(copy, &QPushButton::clicked, this, &SnippetDialog::copyToClipboard);
    connect(save, &QPushButton::clicked, this, [this] {
        const auto t = SnippetTarget(m_target->currentData().toInt());
        const QString name = QFileDialog::getSaveFileName(
            this, tr("Save the snippet"), u"retry-policy."_s + snippet::fileSuffix(t));
        QString error;
        if (!name.isEmpty() && !writeFileAtomically(name, text().toUtf8(), &error))
            QMessageBox::warning(this, tr("Not saved"), error);
    });
    connect(m_target, &QComboBox::currentIndexChanged, this, [this] {
        m_text->setPlainText(snippet::generate(
            m_policy, SnippetTarget(m_target->currentData().toInt()), u"retrylab"_s));
    });
    resize(760, 620);
    setTarget(target);
    m_text->setPlainText(snippet::generate(m_policy, target, u"retrylab"_s));
}

QString SnippetDialog::text() const
{
    return m_text->toPlainText();
}

void SnippetDialog::setTarget(SnippetTarget target)
{
    m_target->setCurrentIndex(m_target->findData(int(target)));
}

void SnippetDialog::copyToClipboard()
{
    QGuiApplication::clipboard()->setText(text());
}

} // namespace retrylab
