// SPDX-License-Identifier: GPL-3.0-or-later
#include "retry_policy_form.h"

#include "duration_edit.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

QFormLayout *group(QVBoxLayout *parent, const QString &title)
{
    auto *box = new QGroupBox(title);
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    parent->addWidget(box);
    return form;
}

const QList<OutcomeClass> kFailureClasses{OutcomeClass::Timeout,
                                          OutcomeClass::ConnectionReset,
                                          OutcomeClass::ConnectionRefused,
                                          OutcomeClass::Dns,
                                          OutcomeClass::Tls,
                                          OutcomeClass::NetworkOther};

} // namespace

RetryPolicyForm::RetryPolicyForm(QWidget *parent)
    : QWidget(parent)
{
    // The groups in the order the form shows them, top to bottom.
    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    addBackoffGroup(column);
    addAttemptsGroup(column);
    addRetriedGroup(column);
    addRetryAfterGroup(column);
    column->addStretch();
    connectEdits();
}

// The strategy, its formula and its numbers.
void RetryPolicyForm::addBackoffGroup(QVBoxLayout *column)
{
    QFormLayout *f = group(column, tr("Backoff"));
    m_kind = new QComboBox;
    for (const QString &id : Backoff::ids())
        m_kind->addItem(Backoff::title(*Backoff::kindFromId(id)), id);
    m_rows.add(f, u"retry.backoff.kind"_s, tr("Strategy"), m_kind,
               tr("How the wait before each retry is computed"));
    m_formula = new QLabel;
    m_formula->setObjectName(u"retry.backoff.formula"_s);
    m_formula->setWordWrap(true);
    m_formula->setTextInteractionFlags(Qt::TextSelectableByMouse);
    f->addRow(tr("Formula"), m_formula);
    m_base = new DurationEdit;
    m_rows.add(f, u"retry.backoff.baseMs"_s, tr("Base delay"), m_base,
               tr("The first retry's delay scale (the median for Polly's formula)"));
    m_cap = new DurationEdit;
    m_rows.add(f, u"retry.backoff.capMs"_s, tr("Cap"), m_cap,
               tr("No computed delay goes above this"));
    m_multiplier = new QDoubleSpinBox;
    m_multiplier->setRange(0.0, 1000.0);
    m_multiplier->setDecimals(2);
    m_multiplier->setSingleStep(0.1);
    m_rows.add(f, u"retry.backoff.multiplier"_s, tr("Multiplier"), m_multiplier,
               tr("The exponential growth per retry (2 doubles each time)"));
    m_jitter = new QDoubleSpinBox;
    m_jitter->setRange(0.0, 10.0);
    m_jitter->setDecimals(2);
    m_jitter->setSingleStep(0.05);
    m_rows.add(f, u"retry.backoff.jitter"_s, tr("Randomisation"), m_jitter,
               tr("±fraction of the delay (gRPC connection backoff, resilience4j)"));
    m_firstExponent = new QSpinBox;
    m_firstExponent->setRange(0, Backoff::kMaxFirstRetryExponent);
    m_rows.add(f, u"retry.backoff.firstRetryExponent"_s, tr("First retry exponent"),
               m_firstExponent,
               tr("0: the first retry waits base × m⁰; 1: base × m (the first retry counted as "
                  "attempt 1, as the AWS simulator does)"));
}

// How many attempts, and the time they and their waits may take.
void RetryPolicyForm::addAttemptsGroup(QVBoxLayout *column)
{
    QFormLayout *f = group(column, tr("Attempts and time"));
    m_maxAttempts = new QSpinBox;
    m_maxAttempts->setRange(0, 100000);
    m_rows.add(f, u"retry.maxAttempts"_s, tr("Max attempts"), m_maxAttempts,
               tr("Attempts per operation, the first one included (1 = never retry)"));
    m_totalBudget = new DurationEdit;
    m_totalBudget->setZeroText(tr("unlimited"));
    m_rows.add(f, u"retry.totalBudgetMs"_s, tr("Time budget"), m_totalBudget,
               tr("The whole operation, waits included, never takes longer (0 = unlimited)"));
    m_attemptTimeout = new DurationEdit;
    m_attemptTimeout->setZeroText(tr("none"));
    m_rows.add(f, u"retry.attemptTimeoutMs"_s, tr("Per-attempt timeout"), m_attemptTimeout,
               tr("An attempt is abandoned after this long (0 = none)"));
    m_minWindow = new DurationEdit;
    m_rows.add(f, u"retry.minAttemptWindowMs"_s, tr("Last attempt's window"), m_minWindow,
               tr("A retry is only worth starting with at least this much budget left"));
    m_overrun = new QComboBox;
    m_overrun->addItem(tr("Shorten the wait to fit"), u"shorten"_s);
    m_overrun->addItem(tr("Stop: budget exhausted"), u"stop"_s);
    m_rows.add(f, u"retry.overrun"_s, tr("Wait past the deadline"), m_overrun,
               tr("What to do when the planned wait would cross the time budget's deadline"));
}

// The statuses and network failures that are retried.
void RetryPolicyForm::addRetriedGroup(QVBoxLayout *column)
{
    QFormLayout *f = group(column, tr("What is retried"));
    m_statuses = new QLineEdit;
    m_rows.add(f, u"retry.retryableStatuses"_s, tr("HTTP statuses"), m_statuses,
               tr("Comma-separated codes or ranges, e.g. 408, 429, 500-504"));
    auto *failures = new QWidget;
    auto *grid = new QGridLayout(failures);
    grid->setContentsMargins(0, 0, 0, 0);
    for (const auto c : kFailureClasses) {
        auto *box = new QCheckBox(outcome::title(c));
        box->setObjectName(u"retry.retryableFailures."_s + outcome::id(c));
        const auto index = static_cast<int>(m_failures.size());
        m_failures.insert(c, box);
        grid->addWidget(box, index / 3, index % 3);
        connect(box, &QCheckBox::toggled, this, [this] {
            if (!m_loading)
                Q_EMIT edited();
        });
    }
    m_rows.add(f, u"retry.retryableFailures"_s, tr("Network failures"), failures,
               tr("Transport failures that are retried"));
}

// The server's waits, and which non-idempotent requests may be repeated.
void RetryPolicyForm::addRetryAfterGroup(QVBoxLayout *column)
{
    QFormLayout *f = group(column, tr("Retry-After and idempotency"));
    m_retryAfterMode = new QComboBox;
    for (const auto mode : retryAfterModes())
        m_retryAfterMode->addItem(retryAfterModeTitle(mode), retryAfterModeId(mode));
    m_rows.add(f, u"retry.retryAfterMode"_s, tr("Retry-After"), m_retryAfterMode,
               tr("What to do when the server says how long to wait. The first four read "
                  "Retry-After, RateLimit, X-RateLimit-Reset, x-amz-retry-after or "
                  "grpc-retry-pushback-ms; the library modes read only their library's header"));
    m_retryAfterCap = new DurationEdit;
    m_rows.add(f, u"retry.retryAfterCapMs"_s, tr("Retry-After cap"), m_retryAfterCap,
               tr("The longest server-requested wait that is obeyed (Envoy: max_interval; a "
                  "longer one is discarded)"));
    m_withKey = new QCheckBox(tr("Retry POST/PATCH that carry an Idempotency-Key"));
    m_rows.add(f, u"retry.retryNonIdempotentWithKey"_s, {}, m_withKey,
               tr("Safe: the server deduplicates by key"));
    m_withoutKey = new QCheckBox(tr("Retry POST/PATCH without a key (unsafe)"));
    m_rows.add(f, u"retry.retryNonIdempotentWithoutKey"_s, {}, m_withoutKey,
               tr("A lost response then charges twice; for demonstrating duplicates"));
    m_inFlight = new QCheckBox(tr("Retry 409 \"still in flight\" for keyed requests"));
    m_rows.add(f, u"retry.retryInFlightConflict"_s, {}, m_inFlight,
               tr("The server answers 409 while the first request with the same key runs"));
    m_waitForBreaker = new QCheckBox(tr("After a breaker rejection, wait for its probe"));
    m_rows.add(f, u"retry.waitForBreaker"_s, {}, m_waitForBreaker,
               tr("Otherwise a rejected call fails at once"));
    m_fromAttemptStart = new QCheckBox(tr("Measure the backoff from the attempt's start"));
    m_rows.add(f, u"retry.backoffFromAttemptStart"_s, {}, m_fromAttemptStart,
               tr("gRPC connection backoff: an attempt that outlasted its backoff is followed "
                  "at once"));
}

// Any edit says so (unless setPolicy is filling the fields) and may show or hide rows.
void RetryPolicyForm::connectEdits()
{
    const auto changed = [this] {
        if (m_loading)
            return;
        updateVisibility();
        Q_EMIT edited();
    };
    for (auto *combo : {m_kind, m_overrun, m_retryAfterMode})
        connect(combo, &QComboBox::currentIndexChanged, this, changed);
    for (auto *edit :
         {m_base, m_cap, m_totalBudget, m_attemptTimeout, m_minWindow, m_retryAfterCap})
        connect(edit, &QLineEdit::textEdited, this, changed);
    connect(m_statuses, &QLineEdit::textEdited, this, changed);
    for (auto *spin : {m_multiplier, m_jitter})
        connect(spin, &QDoubleSpinBox::valueChanged, this, changed);
    for (auto *spin : {m_maxAttempts, m_firstExponent})
        connect(spin, &QSpinBox::valueChanged, this, changed);
    for (auto *box : {m_withKey, m_withoutKey, m_inFlight, m_waitForBreaker, m_fromAttemptStart})
        connect(box, &QCheckBox::toggled, this, changed);
}

void RetryPolicyForm::setPolicy(const RetryPolicy &p)
{
    m_loading = true;
    m_kind->setCurrentIndex(m_kind->findData(Backoff::id(p.backoff.kind)));
    m_base->setDuration(p.backoff.base);
    m_cap->setDuration(p.backoff.cap);
    m_multiplier->setValue(p.backoff.multiplier);
    m_jitter->setValue(p.backoff.jitter);
    m_firstExponent->setValue(p.backoff.firstRetryExponent);
    m_maxAttempts->setValue(p.maxAttempts);
    m_totalBudget->setDuration(p.totalBudget);
    m_attemptTimeout->setDuration(p.attemptTimeout);
    m_minWindow->setDuration(p.minAttemptWindow);
    m_overrun->setCurrentIndex(p.overrun == OverrunMode::Shorten ? 0 : 1);
    m_statuses->setText(outcome::formatStatusList(p.retryableStatuses));
    for (auto it = m_failures.cbegin(); it != m_failures.cend(); ++it)
        it.value()->setChecked(p.retryableFailures.contains(it.key()));
    m_retryAfterMode->setCurrentIndex(
        m_retryAfterMode->findData(retryAfterModeId(p.retryAfterMode)));
    m_retryAfterCap->setDuration(p.retryAfterCap);
    m_withKey->setChecked(p.retryNonIdempotentWithKey);
    m_withoutKey->setChecked(p.retryNonIdempotentWithoutKey);
    m_inFlight->setChecked(p.retryInFlightConflict);
    m_waitForBreaker->setChecked(p.waitForBreaker);
    m_fromAttemptStart->setChecked(p.backoffFromAttemptStart);
    m_loading = false;
    updateVisibility();
}

void RetryPolicyForm::read(RetryPolicy &p, FieldProblems &problems) const
{
    p.backoff.kind = *Backoff::kindFromId(m_kind->currentData().toString());
    m_base->readInto(p.backoff.base, problems);
    m_cap->readInto(p.backoff.cap, problems);
    p.backoff.multiplier = m_multiplier->value();
    p.backoff.jitter = m_jitter->value();
    p.backoff.firstRetryExponent = m_firstExponent->value();
    p.maxAttempts = m_maxAttempts->value();
    m_totalBudget->readInto(p.totalBudget, problems);
    m_attemptTimeout->readInto(p.attemptTimeout, problems);
    m_minWindow->readInto(p.minAttemptWindow, problems);
    p.overrun = m_overrun->currentIndex() == 0 ? OverrunMode::Shorten : OverrunMode::Stop;
    QString error;
    if (const auto statuses = outcome::parseStatusList(m_statuses->text(), &error))
        p.retryableStatuses = *statuses;
    else
        problems.append({m_statuses->objectName(), error});
    p.retryableFailures.clear();
    for (auto it = m_failures.cbegin(); it != m_failures.cend(); ++it)
        if (it.value()->isChecked())
            p.retryableFailures.insert(it.key());
    p.retryAfterMode = *retryAfterModeFromId(m_retryAfterMode->currentData().toString());
    m_retryAfterCap->readInto(p.retryAfterCap, problems);
    p.retryNonIdempotentWithKey = m_withKey->isChecked();
    p.retryNonIdempotentWithoutKey = m_withoutKey->isChecked();
    p.retryInFlightConflict = m_inFlight->isChecked();
    p.waitForBreaker = m_waitForBreaker->isChecked();
    p.backoffFromAttemptStart = m_fromAttemptStart->isChecked();
}

void RetryPolicyForm::updateVisibility()
{
    const auto kind = *Backoff::kindFromId(m_kind->currentData().toString());
    m_formula->setText(Backoff::formula(kind));
    const bool usesMultiplier =
        kind != BackoffKind::Fixed && kind != BackoffKind::DecorrelatedJitter &&
        kind != BackoffKind::PollyDecorrelatedV2 && kind != BackoffKind::EnvoyJittered &&
        kind != BackoffKind::EnvoyLegacy && kind != BackoffKind::None;
    m_rows.setRowVisible(u"retry.backoff.multiplier"_s, usesMultiplier);
    m_rows.setRowVisible(u"retry.backoff.firstRetryExponent"_s,
                         usesMultiplier || kind == BackoffKind::EnvoyJittered ||
                             kind == BackoffKind::EnvoyLegacy);
    m_rows.setRowVisible(u"retry.backoff.jitter"_s,
                         kind == BackoffKind::ProportionalJitter ||
                             kind == BackoffKind::RandomizedExponential ||
                             kind == BackoffKind::RandomizedExponentialPlusOne);
    const QString mode = m_retryAfterMode->currentData().toString();
    m_rows.setRowVisible(u"retry.retryAfterCapMs"_s,
                         mode == u"honour-capped"_s || mode == u"envoy-rate-limited"_s);
}

} // namespace retrylab
