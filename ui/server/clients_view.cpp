// SPDX-License-Identifier: GPL-3.0-or-later
#include "clients_view.h"

#include "client_timeline.h"
#include "mock/mock_server_host.h"
#include "style/palette.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

// The verdicts in the table's order, with a short heading each.
const std::pair<const char16_t *, const char *> kColumns[] = {
    {u"honours-retry-after", QT_TRANSLATE_NOOP("ClientsView", "Retry-After")},
    {u"stops-on-permanent", QT_TRANSLATE_NOOP("ClientsView", "Permanent")},
    {u"retries-transient", QT_TRANSLATE_NOOP("ClientsView", "Transient")},
    {u"jittered", QT_TRANSLATE_NOOP("ClientsView", "Jitter")},
    {u"not-in-step", QT_TRANSLATE_NOOP("ClientsView", "Not in step")},
    {u"key-reused", QT_TRANSLATE_NOOP("ClientsView", "Same key")},
    {u"no-unkeyed-post-retry", QT_TRANSLATE_NOOP("ClientsView", "POST keyed")},
    {u"within-max-attempts", QT_TRANSLATE_NOOP("ClientsView", "Max attempts")},
};
constexpr int kFixedColumns = 4; // client, operations, attempts, backoff

QColor resultColor(const QString &result)
{
    using palette::Role;
    const Role role = result == u"pass"_s   ? Role::Success
                      : result == u"warn"_s ? Role::TooManyRequests
                      : result == u"fail"_s ? Role::ServerError
                                            : Role::Neutral;
    QColor c = palette::color(role);
    c.setAlpha(result == u"not-seen"_s ? 40 : 110);
    return c;
}

QString ms(double v)
{
    return v >= 1000 ? u"%1 s"_s.arg(v / 1000, 0, 'g', 3) : u"%1 ms"_s.arg(std::round(v));
}

} // namespace

QString describeBackoff(const InferredBackoff &b)
{
    QString text = b.family;
    if (b.family == u"constant"_s)
        text += u": "_s + ms(b.baseMs);
    else if (b.family == u"linear"_s)
        text += u": "_s + ms(b.baseMs) + u" + "_s + ms(b.stepMs) + u" a retry"_s;
    else if (b.family != u"none"_s)
        text += u": "_s + ms(b.baseMs) + u" × "_s + QString::number(b.multiplier, 'g', 3);
    if (b.capMs)
        text += u", cap "_s + ms(*b.capMs);
    return text + u" (%1)"_s.arg(b.confidence, 0, 'f', 2);
}

ClientsView::ClientsView(MockServerHost *server, QWidget *parent)
    : QWidget(parent)
    , m_server(server)
{
    setObjectName(u"clientsView"_s);
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_heading = new QLabel;
    m_heading->setWordWrap(true);
    auto *again = new QPushButton(tr("Grade again"));
    again->setObjectName(u"gradeAgain"_s);
    again->setToolTip(tr("Read the server's journal again and grade every client in it"));
    top->addWidget(m_heading, 1);
    top->addWidget(again);
    layout->addLayout(top);

    m_table = new QTableWidget(0, kFixedColumns + int(std::size(kColumns)));
    m_table->setObjectName(u"clientsTable"_s);
    QStringList headings{tr("Client"), tr("Ops"), tr("Attempts"), tr("Backoff (confidence)")};
    for (const auto &[id, title] : kColumns)
        headings << tr(title);
    m_table->setHorizontalHeaderLabels(headings);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);

    m_verdicts = new QTreeWidget;
    m_verdicts->setObjectName(u"clientVerdicts"_s);
    m_verdicts->setHeaderLabels({tr("Verdict"), tr("Result"), tr("Why")});
    m_verdicts->setRootIsDecorated(true);
    m_timeline = new ClientTimeline;

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_table);
    split->addWidget(m_verdicts);
    split->addWidget(m_timeline);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 3);
    layout->addWidget(split, 1);

    connect(again, &QPushButton::clicked, this, &ClientsView::refresh);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &ClientsView::showSelected);
    showReport(GradeReport{}, {});
}

void ClientsView::refresh()
{
    if (!m_server || !m_server->isRunning())
        return showReport(GradeReport{}, {});
    std::vector<JournalEntry> journal = m_server->journal();
    const GradeReport report = GradeReport::grade(journal);
    showReport(report, std::move(journal));
}

void ClientsView::showReport(const GradeReport &report, std::vector<JournalEntry> journal)
{
    const int row = m_table->currentRow();
    const QString selected =
        row >= 0 && m_table->item(row, 0) ? m_table->item(row, 0)->text() : QString();
    m_report = report;
    m_journal = std::move(journal);
    m_heading->setText(
        report.clients.isEmpty()
            ? tr("No client has talked to the built-in server yet. Point any HTTP client at it "
                 "(the exam profile puts each operation through scripted trouble) and grade.")
            : tr("%n client(s), graded from the server's journal. Hover a verdict for why.", "",
                 int(report.clients.size())));
    m_table->setRowCount(int(report.clients.size()));
    for (int r = 0; r < report.clients.size(); ++r) {
        const ClientCard &c = report.clients[r];
        const QStringList fixed{c.client, QString::number(c.operations),
                                QString::number(c.attempts), describeBackoff(c.inferred)};
        for (int col = 0; col < kFixedColumns; ++col)
            m_table->setItem(r, col, new QTableWidgetItem(fixed[col]));
        m_table->item(r, 0)->setToolTip(tr("Told apart by %1").arg(c.identifiedBy));
        for (int v = 0; v < int(std::size(kColumns)); ++v) {
            const Verdict *verdict = c.verdict(QString::fromUtf16(kColumns[v].first));
            auto *item = new QTableWidgetItem(verdict ? verdict->result : QString());
            item->setTextAlignment(Qt::AlignCenter);
            if (verdict) {
                item->setBackground(resultColor(verdict->result));
                item->setToolTip(verdict->summary);
            }
            m_table->setItem(r, kFixedColumns + v, item);
        }
    }
    m_table->resizeColumnsToContents();
    if (!selected.isEmpty())
        selectClient(selected);
    else if (!report.clients.isEmpty())
        m_table->selectRow(0);
    showSelected();
}

void ClientsView::selectClient(const QString &client)
{
    for (int r = 0; r < m_table->rowCount(); ++r)
        if (m_table->item(r, 0)->text() == client)
            m_table->selectRow(r);
}

void ClientsView::showSelected()
{
    m_verdicts->clear();
    const int row = m_table->currentRow();
    if (row < 0 || row >= m_report.clients.size()) {
        m_timeline->setEntries({});
        return;
    }
    const ClientCard &card = m_report.clients[row];
    for (const Verdict &v : card.verdicts) {
        auto *item = new QTreeWidgetItem(m_verdicts, {v.id, v.result, v.summary});
        item->setBackground(1, resultColor(v.result));
        item->setToolTip(2, v.summary);
        // The evidence, a line per field: the requests, times and answers behind it.
        for (auto it = v.evidence.begin(); it != v.evidence.end(); ++it) {
            const QString value =
                it->isArray()
                    ? QString::fromUtf8(QJsonDocument(it->toArray()).toJson(QJsonDocument::Compact))
                    : it->toVariant().toString();
            new QTreeWidgetItem(item, {it.key(), {}, value});
        }
    }
    m_verdicts->resizeColumnToContents(0);
    m_verdicts->resizeColumnToContents(1);
    std::vector<JournalEntry> mine;
    for (const JournalEntry &e : m_journal)
        if (e.chainClient == card.client && e.chainAttempt > 0)
            mine.push_back(e);
    m_timeline->setEntries(std::move(mine));
}

} // namespace retrylab
