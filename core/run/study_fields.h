// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "contention_grid.h"
#include "scenario/scenario.h"

namespace retrylab {

// The scenario fields a study can sweep (core/README.md, "Studies"), each with its unit.
struct StudyField {
    QString id;    // "clients", "baseMs", ...
    QString title; // for people: "Base delay (ms)"
};
QList<StudyField> studyFields();

// Puts `value` into `field` of `scenario`. Returns what is wrong (empty when it fits): an
// unknown field, or a value the field cannot take.
QString applyStudyField(Scenario &scenario, const QString &field, double value);

// Parses "10,20,50" or "10..190/10" (from 10 to 190 in steps of 10) into numbers.
std::optional<QList<double>> parseStudyValues(const QString &text, QString *error);

// The cells of a study: each value of `field` × each strategy, in that order. A strategy is a
// backoff kind's id ("full-jitter") or "preset:ID" for a library preset's whole policy.
// Returns nothing, and says what is wrong in `error`, for an unknown strategy or a value the
// field cannot take.
std::optional<QList<StudyCellSpec>> studyCells(const Scenario &base, const QString &field,
                                               const QList<double> &values,
                                               const QStringList &strategies, QString *error);

// The AWS Architecture Blog's five: "none", "exponential" and the three jitters.
QStringList awsStrategies();

} // namespace retrylab
