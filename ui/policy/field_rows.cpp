// SPDX-License-Identifier: GPL-3.0-or-later
#include "field_rows.h"

#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace retrylab {

void FieldRows::add(QFormLayout *form, const QString &path, const QString &label, QWidget *editor,
                    const QString &tooltip)
{
    auto *cell = new QWidget;
    auto *layout = new QVBoxLayout(cell);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    editor->setObjectName(path);
    editor->setToolTip(tooltip);
    layout->addWidget(editor);
    auto *error = new QLabel;
    error->setObjectName(path + u".error"_s);
    error->setWordWrap(true);
    error->setForegroundRole(QPalette::BrightText);
    error->setStyleSheet(u"color: #c62828;"_s); // readable on light and dark palettes
    error->hide();
    layout->addWidget(error);
    auto *caption = new QLabel(label);
    caption->setToolTip(tooltip);
    caption->setBuddy(editor);
    form->addRow(caption, cell);
    m_rows.insert(path, {form, cell, editor, error});
}

void FieldRows::setRowVisible(const QString &path, bool visible)
{
    const auto it = m_rows.constFind(path);
    if (it != m_rows.constEnd())
        it->form->setRowVisible(it->cell, visible);
}

FieldProblems FieldRows::show(const FieldProblems &problems)
{
    QHash<QString, QStringList> byField;
    FieldProblems rest;
    for (const auto &p : problems) {
        // "retry.retryableStatuses[1]" belongs to the row "retry.retryableStatuses".
        const QString key = p.field.section(u'[', 0, 0);
        if (m_rows.contains(key))
            byField[key] << p.message;
        else
            rest << p;
    }
    for (auto it = m_rows.cbegin(); it != m_rows.cend(); ++it) {
        const QStringList messages = byField.value(it.key());
        it->error->setText(messages.join(u'\n'));
        it->error->setVisible(!messages.isEmpty());
        const bool problem = !messages.isEmpty();
        if (it->editor->property("fieldProblem").toBool() != problem) {
            it->editor->setProperty("fieldProblem", problem);
            // The same red as the message under it; the editor's own look comes back when fixed.
            it->editor->setStyleSheet(
                problem ? u"QLineEdit, QAbstractSpinBox, QComboBox { border: 2px solid #c62828; "
                          "border-radius: 3px; padding: 1px; }"_s
                        : QString());
        }
    }
    return rest;
}

} // namespace retrylab
