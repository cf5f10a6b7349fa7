// SPDX-License-Identifier: GPL-3.0-or-later
#include "breaker_budget_form.h"

#include "duration_edit.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

QSpinBox *counter(int max)
{
    auto *s = new QSpinBox;
    s->setRange(0, max);
    return s;
}

QDoubleSpinBox *number(double max, int decimals, double step)
{
    auto *s = new QDoubleSpinBox;
    s->setRange(0.0, max);
    s->setDecimals(decimals);
    s->setSingleStep(step);
    return s;
}

} // namespace
BreakerBudgetForm::BreakerBudgetForm(QWidget *parent)
    : QWidget(parent)
{
    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->addWidget(breakerGroup());
    column->addWidget(budgetGroup());
    column->addStretch();

    const auto changed = [this] {
        if (m_loading)
            return;
        updateVisibility();
        Q_EMIT edited();
    };
    connect(m_enabled, &QCheckBox::toggled, this, changed);
    for (auto *combo : {m_rule, m_window, m_budgetKind})
        connect(combo, &QComboBox::currentIndexChanged, this, changed);
    for (auto *spin : {m_consecutive, m_windowCalls, m_minimumCalls, m_probes, m_capacity,
                       m_retryCost, m_timeoutCost, m_reward})
        connect(spin, &QSpinBox::valueChanged, this, changed);
    for (auto *spin : {m_threshold, m_openGrowth, m_maxTokens, m_tokenRatio})
        connect(spin, &QDoubleSpinBox::valueChanged, this, changed);
    for (auto *edit : {m_windowTime, m_openDuration, m_maxOpen})
        connect(edit, &QLineEdit::textEdited, this, changed);
}

// The breaker's rows, in the order the form shows them.
QGroupBox *BreakerBudgetForm::breakerGroup()
{
    auto *breakerBox = new QGroupBox(tr("Circuit breaker"));
    auto *f = new QFormLayout(breakerBox);
    m_enabled = new QCheckBox(tr("Enabled"));
    m_rows.add(f, u"breaker.enabled"_s, {}, m_enabled,
               tr("A breaker stops sending calls to a failing endpoint for a while"));
    m_rule = new QComboBox;
    m_rule->addItem(tr("Consecutive failures"), u"consecutive-failures"_s);
    m_rule->addItem(tr("Failure rate over a window"), u"failure-rate"_s);
    m_rows.add(f, u"breaker.rule"_s, tr("Trips on"), m_rule,
               tr("Polly and resilience4j both use a failure rate; simpler clients count "
                  "failures in a row"));
    m_consecutive = counter(1'000'000);
    m_rows.add(f, u"breaker.consecutiveFailures"_s, tr("Failures in a row"), m_consecutive,
               tr("This many failures in a row open the breaker"));
    m_threshold = number(1000.0, 1, 5.0);
    m_threshold->setSuffix(u" %"_s);
    m_rows.add(f, u"breaker.failureRateThreshold"_s, tr("Failure rate"), m_threshold,
               tr("Open when at least this share of the window's calls failed"));
    m_window = new QComboBox;
    m_window->addItem(tr("Last N calls"), u"count"_s);
    m_window->addItem(tr("Last T seconds"), u"time"_s);
    m_rows.add(f, u"breaker.window"_s, tr("Window"), m_window,
               tr("Count-based (resilience4j's default) or time-based (Polly's)"));
    m_windowCalls = counter(1'000'000);
    m_rows.add(f, u"breaker.windowCalls"_s, tr("Window calls"), m_windowCalls,
               tr("How many recent calls the failure rate is computed over"));
    m_windowTime = new DurationEdit;
    m_rows.add(f, u"breaker.windowTimeMs"_s, tr("Window length"), m_windowTime,
               tr("How far back the failure rate looks"));
    m_minimumCalls = counter(1'000'000);
    m_rows.add(f, u"breaker.minimumCalls"_s, tr("Minimum calls"), m_minimumCalls,
               tr("The rate only counts once the window holds this many calls"));
    m_openDuration = new DurationEdit;
    m_rows.add(f, u"breaker.openDurationMs"_s, tr("Open for"), m_openDuration,
               tr("How long calls are rejected before probing"));
    m_openGrowth = number(1000.0, 2, 0.5);
    m_rows.add(f, u"breaker.openGrowth"_s, tr("Growth per re-open"), m_openGrowth,
               tr("Each failed probe multiplies the open time (1 = fixed)"));
    m_maxOpen = new DurationEdit;
    m_rows.add(f, u"breaker.maxOpenDurationMs"_s, tr("Longest open"), m_maxOpen,
               tr("The open time never grows past this"));
    m_probes = counter(1'000'000);
    m_rows.add(f, u"breaker.halfOpenProbes"_s, tr("Half-open probes"), m_probes,
               tr("Calls let through to test recovery; all must succeed to close"));
    return breakerBox;
}

// The retry budget's rows, in the order the form shows them.
QGroupBox *BreakerBudgetForm::budgetGroup()
{
    auto *budgetBox = new QGroupBox(tr("Retry budget"));
    auto *f = new QFormLayout(budgetBox);
    m_budgetKind = new QComboBox;
    m_budgetKind->addItem(tr("None"), u"none"_s);
    m_budgetKind->addItem(tr("Token bucket (gRPC retry throttling)"), u"token-bucket"_s);
    m_budgetKind->addItem(tr("Retry quota (AWS SDK standard mode)"), u"aws-quota"_s);
    m_rows.add(f, u"budget.kind"_s, tr("Kind"), m_budgetKind,
               tr("A budget caps retries across operations, so an outage does not become a "
                  "retry storm"));
    m_maxTokens = number(100000.0, 1, 1.0);
    m_rows.add(f, u"budget.maxTokens"_s, tr("Max tokens"), m_maxTokens,
               tr("Retries are allowed while more than half remain"));
    m_tokenRatio = number(100000.0, 2, 0.1);
    m_rows.add(f, u"budget.tokenRatio"_s, tr("Tokens per success"), m_tokenRatio,
               tr("Each failure takes 1 token; each success gives this back"));
    m_capacity = counter(1'000'000);
    m_rows.add(f, u"budget.quotaCapacity"_s, tr("Quota"), m_capacity,
               tr("Tokens in the quota when it is full"));
    m_retryCost = counter(1'000'000);
    m_rows.add(f, u"budget.retryCost"_s, tr("Cost of a retry"), m_retryCost,
               tr("Taken from the quota for each retry"));
    m_timeoutCost = counter(1'000'000);
    m_rows.add(f, u"budget.timeoutRetryCost"_s, tr("Cost after a timeout"), m_timeoutCost,
               tr("Taken instead when the failed attempt timed out"));
    m_reward = counter(1'000'000);
    m_rows.add(f, u"budget.successReward"_s, tr("Back per clean success"), m_reward,
               tr("Added when an operation succeeds without a retry"));
    return budgetBox;
}

void BreakerBudgetForm::setConfig(const BreakerConfig &b, const BudgetConfig &q)
{
    m_loading = true;
    m_enabled->setChecked(b.enabled);
    m_rule->setCurrentIndex(b.rule == TripRule::ConsecutiveFailures ? 0 : 1);
    m_consecutive->setValue(b.consecutiveFailures);
    m_threshold->setValue(b.failureRateThreshold * 100.0);
    m_window->setCurrentIndex(b.window == WindowKind::Count ? 0 : 1);
    m_windowCalls->setValue(b.windowCalls);
    m_windowTime->setDuration(b.windowTime);
    m_minimumCalls->setValue(b.minimumCalls);
    m_openDuration->setDuration(b.openDuration);
    m_openGrowth->setValue(b.openGrowth);
    m_maxOpen->setDuration(b.maxOpenDuration);
    m_probes->setValue(b.halfOpenProbes);
    m_budgetKind->setCurrentIndex(m_budgetKind->findData(budgetKindId(q.kind)));
    m_maxTokens->setValue(q.maxTokens);
    m_tokenRatio->setValue(q.tokenRatio);
    m_capacity->setValue(q.quotaCapacity);
    m_retryCost->setValue(q.retryCost);
    m_timeoutCost->setValue(q.timeoutRetryCost);
    m_reward->setValue(q.successReward);
    m_loading = false;
    updateVisibility();
}

void BreakerBudgetForm::read(BreakerConfig &b, BudgetConfig &q, FieldProblems &problems) const
{
    b.enabled = m_enabled->isChecked();
    b.rule = m_rule->currentIndex() == 0 ? TripRule::ConsecutiveFailures : TripRule::FailureRate;
    b.consecutiveFailures = m_consecutive->value();
    b.failureRateThreshold = m_threshold->value() / 100.0;
    b.window = m_window->currentIndex() == 0 ? WindowKind::Count : WindowKind::Time;
    b.windowCalls = m_windowCalls->value();
    m_windowTime->readInto(b.windowTime, problems);
    b.minimumCalls = m_minimumCalls->value();
    m_openDuration->readInto(b.openDuration, problems);
    b.openGrowth = m_openGrowth->value();
    m_maxOpen->readInto(b.maxOpenDuration, problems);
    b.halfOpenProbes = m_probes->value();
    q.kind = *budgetKindFromId(m_budgetKind->currentData().toString());
    q.maxTokens = m_maxTokens->value();
    q.tokenRatio = m_tokenRatio->value();
    q.quotaCapacity = m_capacity->value();
    q.retryCost = m_retryCost->value();
    q.timeoutRetryCost = m_timeoutCost->value();
    q.successReward = m_reward->value();
}

void BreakerBudgetForm::updateVisibility()
{
    const bool on = m_enabled->isChecked();
    const bool rate = m_rule->currentIndex() == 1;
    const bool countWindow = m_window->currentIndex() == 0;
    m_rows.setRowVisible(u"breaker.rule"_s, on);
    m_rows.setRowVisible(u"breaker.consecutiveFailures"_s, on && !rate);
    for (const auto *path :
         {u"breaker.failureRateThreshold", u"breaker.window", u"breaker.minimumCalls"})
        m_rows.setRowVisible(QString::fromUtf16(path), on && rate);
    m_rows.setRowVisible(u"breaker.windowCalls"_s, on && rate && countWindow);
    m_rows.setRowVisible(u"breaker.windowTimeMs"_s, on && rate && !countWindow);
    for (const auto *path : {u"breaker.openDurationMs", u"breaker.openGrowth",
                             u"breaker.maxOpenDurationMs", u"breaker.halfOpenProbes"})
        m_rows.setRowVisible(QString::fromUtf16(path), on);
    const QString kind = m_budgetKind->currentData().toString();
    for (const auto *path : {u"budget.maxTokens", u"budget.tokenRatio"})
        m_rows.setRowVisible(QString::fromUtf16(path), kind == u"token-bucket"_s);
    for (const auto *path : {u"budget.quotaCapacity", u"budget.retryCost",
                             u"budget.timeoutRetryCost", u"budget.successReward"})
        m_rows.setRowVisible(QString::fromUtf16(path), kind == u"aws-quota"_s);
}

} // namespace retrylab
