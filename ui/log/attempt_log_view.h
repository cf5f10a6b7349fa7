// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/attempt_log.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLineEdit;
class QPlainTextEdit;
class QTableView;

namespace retrylab {

class AttemptFilterModel;
class AttemptTableModel;

// The attempt log as a table: filterable by outcome and text, sortable, and following the
// newest rows unless the person has scrolled away.
class AttemptLogView : public QWidget
{
    Q_OBJECT
public:
    explicit AttemptLogView(QWidget *parent = nullptr);

    void setLog(std::shared_ptr<const AttemptLog> log);
    void refresh(); // show rows appended since the last call
    AttemptTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    // What the selected attempt sent and got back: headers, failure reason, everything.
    QString details() const;
    // Shows only the rows with this outcome id, or AttemptFilterModel::kPossibleDuplicates.
    void showOnly(const QString &outcomeId);

private:
    AttemptTableModel *m_model = nullptr;
    AttemptFilterModel *m_filter = nullptr;
    QTableView *m_table = nullptr;
    QLineEdit *m_text = nullptr;
    QComboBox *m_outcome = nullptr;
    QPlainTextEdit *m_details = nullptr;
};

} // namespace retrylab
