// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "mock/client_grades.h"

#include <QWidget>

class QLabel;
class QTableWidget;
class QTreeWidget;

namespace retrylab {

class ClientTimeline;
class MockServerHost;

// The built-in server's report cards (core/mock/README.md, "The report card"): a table of the
// clients that talked to it with their inferred backoff and verdicts; the selected client's
// verdicts with what they rest on, and its attempts on a timeline with the server's answers.
class ClientsView : public QWidget
{
    Q_OBJECT
public:
    explicit ClientsView(MockServerHost *server, QWidget *parent = nullptr);

    // Grades the server's journal again and shows it (the selection is kept).
    void refresh();
    // Shows `report`, graded from `journal`.
    void showReport(const GradeReport &report, std::vector<JournalEntry> journal);
    void selectClient(const QString &client);
    QTableWidget *table() const { return m_table; }

private:
    void showSelected();

    MockServerHost *m_server;
    GradeReport m_report;
    std::vector<JournalEntry> m_journal;
    QLabel *m_heading = nullptr;
    QTableWidget *m_table = nullptr;
    QTreeWidget *m_verdicts = nullptr;
    ClientTimeline *m_timeline = nullptr;
};

// A one-line description of an inferred backoff: "exponential: 1000 ms × 2, cap 10 s (0.93)".
QString describeBackoff(const InferredBackoff &b);

} // namespace retrylab
