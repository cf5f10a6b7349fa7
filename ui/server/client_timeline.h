// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "mock/request_journal.h"

#include <QWidget>

#include <vector>

namespace retrylab {

// One client's attempts as the built-in server saw them: a row per operation (the latest
// ones), each attempt a dot at its arrival coloured by the server's answer and labelled with
// it, and the wait a Retry-After asked for drawn after the answer that asked. Time runs from
// each operation's first attempt, on one scale for all rows.
class ClientTimeline : public QWidget
{
    Q_OBJECT
public:
    explicit ClientTimeline(QWidget *parent = nullptr);
    // `entries`: the journal entries of one client, in the order they arrived.
    void setEntries(std::vector<JournalEntry> entries);
    QSize sizeHint() const override { return {640, 260}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    struct Row {
        QString operation;
        std::vector<JournalEntry> attempts;
    };
    std::vector<Row> m_rows;
    double m_spanMs = 1000;
};

} // namespace retrylab
