// SPDX-License-Identifier: GPL-3.0-or-later
#include "attempt_log_view.h"

#include "attempt_filter_model.h"
#include "attempt_table_model.h"
#include "log/attempt_fields.h"
#include "log/curl_timings.h"
#include "log_exports.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace retrylab {

AttemptLogView::AttemptLogView(QWidget *parent)
    : QWidget(parent)
{
    m_model = new AttemptTableModel(this);
    m_filter = new AttemptFilterModel(this);
    m_filter->setSourceModel(m_model);

    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_outcome = new QComboBox;
    m_outcome->setObjectName(u"outcomeFilter"_s);
    m_outcome->addItem(tr("All outcomes"), QString());
    m_outcome->addItem(tr("Possible duplicate charges"), AttemptFilterModel::kPossibleDuplicates);
    for (int i = 0; i <= static_cast<int>(OutcomeClass::Cancelled); ++i) {
        const auto c = static_cast<OutcomeClass>(i);
        m_outcome->addItem(outcome::title(c), outcome::id(c));
    }
    m_text = new QLineEdit;
    m_text->setObjectName(u"textFilter"_s);
    m_text->setPlaceholderText(tr("Filter: client, status, key, anything shown"));
    m_text->setClearButtonEnabled(true);
    bar->addWidget(new QLabel(tr("Show")));
    bar->addWidget(m_outcome);
    bar->addWidget(m_text, 1);
    layout->addLayout(bar);

    m_table = new QTableView;
    m_table->setObjectName(u"attemptTable"_s);
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // log order until a header is clicked
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_details = new QPlainTextEdit;
    m_details->setObjectName(u"attemptDetails"_s);
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setPlaceholderText(
        tr("Select an attempt to see the request as sent, the response and its timings."));
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_table);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    layout->addWidget(split);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { m_details->setPlainText(details()); });

    connect(m_outcome, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setOutcome(m_outcome->currentData().toString()); });
    connect(m_text, &QLineEdit::textChanged, m_filter, &AttemptFilterModel::setText);
}

void AttemptLogView::showOnly(const QString &outcomeId)
{
    m_outcome->setCurrentIndex(std::max(0, m_outcome->findData(outcomeId)));
}

void AttemptLogView::setLog(std::shared_ptr<const AttemptLog> log)
{
    m_details->clear(); // the selected attempt belonged to the log before
    m_model->setLog(std::move(log));
    m_table->resizeColumnsToContents();
}

QString AttemptLogView::details() const
{
    const QModelIndex current = m_table->currentIndex();
    const AttemptLog *log = m_model->log();
    if (!current.isValid() || !log)
        return {};
    const int row = m_filter->mapToSource(current).row();
    if (row < 0 || std::size_t(row) >= log->size())
        return {};
    const AttemptRecord r = log->at(std::size_t(row));
    const Redactor redactor(LogExports::extraRedactedHeaders());
    QStringList lines;
    lines << tr("Client %1, operation %2, attempt %3: %4 %5")
                 .arg(r.client)
                 .arg(r.operation)
                 .arg(r.attempt)
                 .arg(log->string(r.method), log->string(r.url));
    QString status = r.status ? QString::number(r.status) : QString();
    if (r.httpVersion)
        status += u", "_s + httpVersionText(r.httpVersion);
    lines << tr("Outcome: %1%2")
                 .arg(outcome::title(r.outcome),
                      status.isEmpty() ? QString() : u" (%1)"_s.arg(status));
    if (r.detail)
        lines << tr("Why: %1").arg(log->string(r.detail));
    if (r.insecure)
        lines << tr("Sent with an invalid certificate that was allowed for this host.");
    if (const QStringList timings = curlTimingLines(r.phases); !timings.isEmpty()) {
        lines << QString()
              << tr("Timings (each phase, then the time since the lookup as curl -w names it):");
        lines << timings;
        if (r.phases.lagUs >= 0)
            lines << tr("  then waited %1 for this client to read it (not the server's time)")
                         .arg(formatDurationReadable(Duration(r.phases.lagUs)));
    }
    if (const QString sent = requestSentOf(r, *log, redactor); !sent.isEmpty()) {
        lines << QString() << tr("Request as sent:");
        for (const QString &line : sent.split(u'\n'))
            lines << u"  "_s + line;
    } else {
        lines << QString() << tr("Request headers:");
        for (const auto &[name, value] : redactor.apply(requestHeadersOf(r, *log)))
            lines << u"  %1: %2"_s.arg(QString::fromLatin1(name), QString::fromLatin1(value));
    }
    lines << QString() << tr("Response headers:");
    const HeaderList response = responseHeadersOf(r, *log);
    if (response.isEmpty())
        lines << (outcome::isLocalRejection(r.outcome) ? tr("  (never sent)")
                                                       : tr("  (none kept)"));
    for (const auto &[name, value] : redactor.apply(response))
        lines << u"  %1: %2"_s.arg(QString::fromLatin1(name), QString::fromLatin1(value));
    if (r.responseBody) {
        const QString body = log->string(r.responseBody);
        lines << QString()
              << (r.responseBytes > body.toUtf8().size()
                      ? tr("Response body (the first %1 of %2 bytes):")
                            .arg(body.toUtf8().size())
                            .arg(r.responseBytes)
                      : tr("Response body (%1 bytes):").arg(r.responseBytes));
        lines << body;
    } else if (r.responseBytes > 0) {
        lines << QString() << tr("Response body: %1 bytes (not kept)").arg(r.responseBytes);
    }
    return lines.join(u'\n');
}

void AttemptLogView::refresh()
{
    QScrollBar *bar = m_table->verticalScrollBar();
    const bool following = bar->value() >= bar->maximum() - 2;
    m_model->refresh();
    if (following)
        m_table->scrollToBottom();
}

} // namespace retrylab
