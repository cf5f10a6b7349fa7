// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/field_problem.h"

#include <QHash>
#include <QString>

class QFormLayout;
class QLabel;
class QWidget;

namespace retrylab {

// The rows of an editor form, keyed by the field path the core uses in its FieldProblems
// ("retry.backoff.capMs"), so that each problem is shown right under the field it is about.
// Editors get the path as objectName; their error labels get path + ".error". An editor with a
// problem is outlined in red and carries the property "fieldProblem" = true.
class FieldRows
{
public:
    void add(QFormLayout *form, const QString &path, const QString &label, QWidget *editor,
             const QString &tooltip);
    void setRowVisible(const QString &path, bool visible);
    // Shows each problem under its field and clears the others. Returns the problems that
    // belong to no row here.
    FieldProblems show(const FieldProblems &problems);

private:
    struct Row {
        QFormLayout *form = nullptr;
        QWidget *cell = nullptr;
        QWidget *editor = nullptr;
        QLabel *error = nullptr;
    };
    QHash<QString, Row> m_rows;
};

} // namespace retrylab
