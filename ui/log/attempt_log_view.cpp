// SPDX-License-Identifier: GPL-3.0-or-later
#include "attempt_log_view.h"

#include "attempt_filter_model.h"
#include "attempt_table_model.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
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
    layout->addWidget(m_table);

    connect(m_outcome, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setOutcome(m_outcome->currentData().toString()); });
    connect(m_text, &QLineEdit::textChanged, m_filter, &AttemptFilterModel::setText);
}

void AttemptLogView::setLog(std::shared_ptr<const AttemptLog> log)
{
    m_model->setLog(std::move(log));
    m_table->resizeColumnsToContents();
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
