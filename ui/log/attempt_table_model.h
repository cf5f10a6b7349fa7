// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/attempt_log.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>

#include <memory>

namespace retrylab {

// A table over the engine's attempt log, one row per attempt, reading the log in place (no
// copies). refresh() announces the rows appended since the last call, in one batch.
class AttemptTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Client,
        Operation,
        Attempt,
        Started,
        Took,
        Outcome,
        Status,
        Duplicate,
        PlannedWait,
        ActualWait,
        WaitReason,
        RetryAfter,
        Breaker,
        Key,
        Stop,
        ColumnCount
    };
    // The outcome's id ("server-error"), for filters.
    static constexpr int OutcomeIdRole = Qt::UserRole + 1;
    // True for a possible duplicate charge (see the Duplicate column), for filters.
    static constexpr int DuplicateRole = Qt::UserRole + 2;

    explicit AttemptTableModel(QObject *parent = nullptr);

    void setLog(std::shared_ptr<const AttemptLog> log);
    void refresh();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const AttemptLog *log() const { return m_log.get(); }
    // Rows marked as possible duplicate charges so far.
    qint64 possibleDuplicates() const { return m_duplicateCount; }

private:
    void markDuplicates(int from, int to);

    std::shared_ptr<const AttemptLog> m_log;
    int m_rows = 0;
    // A possible duplicate charge is an attempt of a non-idempotent request without an
    // idempotency key that may have had an effect (it succeeded, or its answer was lost), in
    // an operation whose earlier answer was lost: if the server had committed that one, this
    // charges again. The log holds an operation's attempts in order, so one pass suffices.
    std::vector<bool> m_duplicate;
    QSet<quint64> m_lostAnswer; // operations (client << 32 | operation) with a lost answer
    QHash<std::uint32_t, bool> m_unsafeMethod; // method string index → POST or PATCH
    qint64 m_duplicateCount = 0;
};

} // namespace retrylab
