// SPDX-License-Identifier: GPL-3.0-or-later
#include "policy_editor.h"

#include "breaker_budget_form.h"
#include "retry_policy_form.h"
#include "snippet_dialog.h"
#include "style/fit_rows.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QScrollArea>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
constexpr std::uint64_t kPreviewSeed = 1;
constexpr int kPreviewMinRows = 2;
} // namespace

PolicyEditor::PolicyEditor(QWidget *parent)
    : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    outer->addLayout(presetRow());
    m_presetDescription = new QLabel;
    m_presetDescription->setObjectName(u"presetDescription"_s);
    m_presetDescription->setWordWrap(true);
    m_presetDescription->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    outer->addWidget(m_presetDescription);
    // Which library version and source file the preset reproduces (core/policy/README.md).
    m_presetSource = new QLabel;
    m_presetSource->setObjectName(u"presetSource"_s);
    m_presetSource->setWordWrap(true);
    m_presetSource->setTextInteractionFlags(Qt::TextSelectableByMouse);
    outer->addWidget(m_presetSource);

    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // The two columns side by side need ~650 px; a narrower window scrolls instead of cutting.
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    auto *forms = new QWidget;
    auto *columns = new QHBoxLayout(forms);
    columns->setContentsMargins(0, 0, 0, 0);
    m_retryForm = new RetryPolicyForm;
    m_breakerForm = new BreakerBudgetForm;
    columns->addWidget(m_retryForm, 1);
    columns->addWidget(m_breakerForm, 1);
    scroll->setWidget(forms);
    outer->addWidget(scroll, 1);

    m_advice = new QLabel;
    m_advice->setObjectName(u"advice"_s);
    m_advice->setWordWrap(true);
    m_advice->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    m_advice->setStyleSheet(u"color: #b26a00;"_s);
    outer->addWidget(m_advice);
    outer->addWidget(previewGroup());

    connect(m_presets, &QComboBox::activated, this, [this](int index) {
        const QString id = m_presets->itemData(index).toString();
        if (!id.isEmpty())
            applyPreset(id);
    });
    connect(m_retryForm, &RetryPolicyForm::edited, this, &PolicyEditor::onEdited);
    connect(m_breakerForm, &BreakerBudgetForm::edited, this, &PolicyEditor::onEdited);

    applyPreset(u"default"_s);
}

// "Start from" a preset, and "Copy as code" for the policy being edited.
QHBoxLayout *PolicyEditor::presetRow()
{
    auto *presetRow = new QHBoxLayout;
    auto *presetLabel = new QLabel(tr("&Start from"));
    m_presets = new QComboBox;
    m_presets->setObjectName(u"presets"_s);
    m_presets->setToolTip(tr("Library defaults, each checked against that library's source"));
    presetLabel->setBuddy(m_presets);
    m_presets->addItem(tr("Custom"), QString());
    for (const auto &p : policyPresets())
        m_presets->addItem(p.title, p.id);
    presetRow->addWidget(presetLabel);
    presetRow->addWidget(m_presets, 1);
    presetRow->addWidget(copyAsCodeButton());
    return presetRow;
}

// A menu of the libraries the policy can be written for; each opens its snippet.
QToolButton *PolicyEditor::copyAsCodeButton()
{
    auto *asCode = new QToolButton;
    asCode->setObjectName(u"copyAsCode"_s);
    asCode->setText(tr("Copy as code"));
    asCode->setToolTip(tr("Write this policy for Polly, resilience4j, tenacity, urllib3, the "
                          "AWS SDK, gRPC or Envoy"));
    asCode->setPopupMode(QToolButton::InstantPopup);
    auto *targets = new QMenu(asCode);
    for (SnippetTarget t : snippet::all())
        targets->addAction(snippet::title(t), this, [this, t] {
            auto *dialog = new SnippetDialog(m_policy, t, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->show();
        });
    asCode->setMenu(targets);
    return asCode;
}

// One operation that always gets 503, attempt by attempt: what the policy does with it.
QGroupBox *PolicyEditor::previewGroup()
{
    auto *previewBox = new QGroupBox(tr("Preview: one operation that always gets 503"));
    auto *previewLayout = new QVBoxLayout(previewBox);
    m_summary = new QLabel;
    m_summary->setObjectName(u"previewSummary"_s);
    m_summary->setWordWrap(true);
    previewLayout->addWidget(m_summary);
    m_preview = new QTableWidget(0, 4);
    m_preview->setObjectName(u"preview"_s);
    m_preview->setHorizontalHeaderLabels(
        {tr("After attempt"), tr("Decision"), tr("Wait"), tr("Distribution of this wait")});
    m_preview->horizontalHeader()->setStretchLastSection(true);
    m_preview->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_preview->verticalHeader()->hide();
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->setSelectionMode(QAbstractItemView::NoSelection);
    previewLayout->addWidget(m_preview);
    return previewBox;
}

void PolicyEditor::setScenarioAdvice(const FieldProblems &advice)
{
    if (advice == m_context)
        return;
    m_context = advice;
    onEdited();
}

void PolicyEditor::applyPreset(const QString &id)
{
    const auto preset = findPreset(id);
    if (!preset)
        return;
    setPolicy(preset->policy);
}

void PolicyEditor::setPolicy(const ClientPolicy &policy)
{
    m_retryForm->setPolicy(policy.retry);
    m_breakerForm->setConfig(policy.breaker, policy.budget);
    onEdited();
}

std::optional<ClientPolicy> PolicyEditor::policy() const
{
    if (!m_valid)
        return std::nullopt;
    return m_policy;
}

void PolicyEditor::onEdited()
{
    ClientPolicy edited;
    FieldProblems problems;
    m_retryForm->read(edited.retry, problems);
    m_breakerForm->read(edited.breaker, edited.budget, problems);
    // Text that does not parse is reported as such; the core checks the rest.
    QSet<QString> unparsed;
    for (const auto &p : problems)
        unparsed.insert(p.field);
    for (const auto &p : edited.validate())
        if (!unparsed.contains(p.field))
            problems << p;
    m_problems = problems;
    FieldProblems unplaced = m_retryForm->rows().show(problems);
    unplaced = m_breakerForm->rows().show(unplaced);

    const bool valid = problems.isEmpty();
    QStringList notes;
    for (const auto &p : unplaced)
        notes << u"✖ %1: %2"_s.arg(p.field, p.message);
    if (valid) {
        for (const auto &a : edited.advise())
            notes << u"⚠ %1"_s.arg(a.message);
        for (const auto &a : std::as_const(m_context))
            notes << u"⚠ %1"_s.arg(a.message);
    }
    m_advice->setText(notes.join(u'\n'));
    m_advice->setVisible(!notes.isEmpty());

    // Which preset, if any, this still is.
    int presetIndex = 0;
    QString description = tr("Your own settings.");
    QString source;
    for (const auto &p : policyPresets()) {
        if (p.policy == edited) {
            presetIndex = m_presets->findData(p.id);
            description = p.description;
            source = tr("<b>Follows</b> %1, %2 &mdash; <b>source</b> <code>%3</code>")
                         .arg(p.library.toHtmlEscaped(), p.version.toHtmlEscaped(),
                              p.source.toHtmlEscaped());
            break;
        }
    }
    m_presets->setCurrentIndex(presetIndex);
    m_presetDescription->setText(description);
    m_presetSource->setText(source);
    m_presetSource->setVisible(!source.isEmpty());

    const bool wasValid = m_valid;
    m_valid = valid;
    if (valid) {
        m_policy = edited;
        showPreview(edited);
        Q_EMIT policyChanged(edited);
    } else {
        m_summary->setText(tr("Fix the fields marked in red to see the preview."));
        m_preview->setRowCount(0);
        fitToRows(m_preview, kPreviewMinRows);
    }
    if (wasValid != valid)
        Q_EMIT validityChanged(valid);
}

void PolicyEditor::showPreview(const ClientPolicy &policy)
{
    const auto decisions = rehearse(policy.retry, kPreviewSeed);
    const Backoff backoff(policy.retry.backoff);
    m_preview->setRowCount(static_cast<int>(decisions.size()));
    // As tall as the rehearsal (it scrolls past 10 attempts): the settings above get the rest.
    fitToRows(m_preview, std::clamp(m_preview->rowCount(), kPreviewMinRows, 10));
    Duration total{0};
    int row = 0;
    for (const auto &d : decisions) {
        const auto set = [this, row](int column, const QString &text) {
            auto *item = new QTableWidgetItem(text);
            item->setToolTip(text);
            m_preview->setItem(row, column, item);
        };
        set(0, QString::number(row + 1));
        if (d.retry) {
            total += d.delay;
            set(1, tr("retry") +
                       (d.shortened ? tr(" (wait shortened to fit the budget)") : QString()));
            set(2, formatDurationReadable(d.delay));
            set(3, backoff.distribution(row, 4000).describe());
        } else {
            set(1, tr("stop: %1").arg(d.explanation));
            set(2, QString());
            set(3, QString());
        }
        ++row;
    }
    m_summary->setText(tr("%n attempt(s), %1 of waiting in all (seed %2). Jittered waits change "
                          "from operation to operation; the distribution column says how.",
                          nullptr, static_cast<int>(decisions.size()))
                           .arg(formatDurationReadable(total))
                           .arg(kPreviewSeed));
}

} // namespace retrylab
