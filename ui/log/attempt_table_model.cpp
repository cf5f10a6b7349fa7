// SPDX-License-Identifier: GPL-3.0-or-later
#include "attempt_table_model.h"

#include "style/palette.h"

#include <QFont>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
QString ms(qint64 us)
{
    return us < 0 ? QString() : QString::number(static_cast<double>(us) / 1000.0, 'f', 1);
}
} // namespace

AttemptTableModel::AttemptTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void AttemptTableModel::setLog(std::shared_ptr<const AttemptLog> log)
{
    beginResetModel();
    m_log = std::move(log);
    m_rows = 0;
    m_duplicate.clear();
    m_lostAnswer.clear();
    m_unsafeMethod.clear();
    m_duplicateCount = 0;
    endResetModel();
    refresh();
}

void AttemptTableModel::refresh()
{
    if (!m_log)
        return;
    const int now = static_cast<int>(std::min<std::size_t>(m_log->size(), INT_MAX));
    if (now <= m_rows)
        return;
    markDuplicates(m_rows, now);
    beginInsertRows({}, m_rows, now - 1);
    m_rows = now;
    endInsertRows();
}

void AttemptTableModel::markDuplicates(int from, int to)
{
    m_duplicate.resize(std::size_t(to), false);
    for (int i = from; i < to; ++i) {
        const AttemptRecord r = m_log->at(std::size_t(i));
        if (r.idempotencyKey != 0)
            continue; // the server recognises the retry by its key
        auto unsafe = m_unsafeMethod.constFind(r.method);
        if (unsafe == m_unsafeMethod.cend()) {
            const QString m = m_log->string(r.method);
            unsafe = m_unsafeMethod.insert(r.method, m == u"POST"_s || m == u"PATCH"_s);
        }
        if (!*unsafe)
            continue;
        const bool lost =
            r.outcome == OutcomeClass::Timeout || r.outcome == OutcomeClass::ConnectionReset;
        const quint64 op = quint64(r.client) << 32 | r.operation;
        if ((lost || r.outcome == OutcomeClass::Success) && m_lostAnswer.contains(op)) {
            m_duplicate[std::size_t(i)] = true;
            ++m_duplicateCount;
        }
        if (lost)
            m_lostAnswer.insert(op);
    }
}

int AttemptTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int AttemptTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AttemptTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        !m_log)
        return {};
    const AttemptRecord r = m_log->at(static_cast<std::size_t>(index.row()));
    if (role == OutcomeIdRole)
        return outcome::id(r.outcome);
    const bool duplicate = m_duplicate[std::size_t(index.row())];
    if (role == DuplicateRole)
        return duplicate;
    if (role == Qt::FontRole && duplicate && index.column() == Duplicate) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::BackgroundRole)
        return palette::outcomeTint(r.outcome, r.status);
    if (role == Qt::TextAlignmentRole)
        return index.column() <= ActualWait && index.column() != Outcome
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant();
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Client:
        return static_cast<qlonglong>(r.client);
    case Operation:
        return static_cast<qlonglong>(r.operation);
    case Attempt:
        return r.attempt;
    case Started:
        return ms(r.startedUs);
    case Took:
        return ms(r.finishedUs - r.startedUs);
    case Outcome:
        if (role == Qt::ToolTipRole && r.detail)
            return m_log->string(r.detail);
        // Attempts sent with a certificate the person allowed are marked where they show.
        return r.insecure ? tr("%1 (certificate not verified)").arg(outcome::title(r.outcome))
                          : outcome::title(r.outcome);
    case Status:
        return r.status > 0 ? QVariant(r.status) : QVariant();
    case PlannedWait:
        return ms(r.plannedDelayUs);
    case ActualWait:
        return ms(r.actualDelayUs);
    case WaitReason:
        return r.plannedDelayUs < 0
                   ? QString()
                   : delaySourceId(r.delaySource) + (r.shortened ? tr(", shortened") : QString());
    case RetryAfter:
        return ms(r.retryAfterUs);
    case Breaker:
        return breakerStateId(r.breakerAtStart);
    case Key:
        return m_log->string(r.idempotencyKey);
    case Duplicate:
        if (!duplicate)
            return {};
        return role == Qt::ToolTipRole
                   ? tr("%1 without an idempotency key, sent again after an earlier answer "
                        "was lost: if the server had committed that one, this charged twice")
                         .arg(m_log->string(r.method))
                   : tr("possible");
    case Stop:
        return r.lastOfOperation ? stopReasonId(r.stop) : QString();
    default:
        return {};
    }
}

QVariant AttemptTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Client:
        return tr("Client");
    case Operation:
        return tr("Op");
    case Attempt:
        return tr("Attempt");
    case Started:
        return tr("Started (ms)");
    case Took:
        return tr("Took (ms)");
    case Outcome:
        return tr("Outcome");
    case Status:
        return tr("Status");
    case PlannedWait:
        return tr("Planned wait (ms)");
    case ActualWait:
        return tr("Actual wait (ms)");
    case WaitReason:
        return tr("Wait from");
    case RetryAfter:
        return tr("Retry-After (ms)");
    case Breaker:
        return tr("Breaker");
    case Key:
        return tr("Idempotency key");
    case Duplicate:
        return tr("Duplicate charge");
    case Stop:
        return tr("Ended");
    default:
        return {};
    }
}

} // namespace retrylab
