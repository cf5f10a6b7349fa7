// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "policy/policy_snippet.h"

#include <QDialog>

class QComboBox;
class QPlainTextEdit;

namespace retrylab {

// The policy written out for a library, to copy into a team's code or save as a file. The
// text is the core's; this only shows it.
class SnippetDialog : public QDialog
{
    Q_OBJECT
public:
    SnippetDialog(const ClientPolicy &policy, SnippetTarget target, QWidget *parent = nullptr);

    QString text() const;
    void setTarget(SnippetTarget target);
    void copyToClipboard();

private:
    ClientPolicy m_policy;
    QComboBox *m_target = nullptr;
    QPlainTextEdit *m_text = nullptr;
};

} // namespace retrylab
