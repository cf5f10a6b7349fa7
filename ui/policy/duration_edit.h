// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/duration.h"
#include "base/field_problem.h"

#include <QLineEdit>

namespace retrylab {

// A line edit for a duration that a person types as "250 ms" or "2 s". It keeps what was
// typed, even when it does not parse, and says why.
class DurationEdit : public QLineEdit
{
    Q_OBJECT
public:
    explicit DurationEdit(QWidget *parent = nullptr);

    // Shows and accepts this word for zero ("unlimited", "none"), as QSpinBox's
    // specialValueText does.
    void setZeroText(const QString &text);
    void setDuration(Duration d);
    std::optional<Duration> duration() const;
    QString error() const; // empty when the text parses
    // Puts the duration in `out`, or, when the text does not parse, leaves `out` alone and adds
    // a problem named after this edit's objectName (the policy field it edits).
    void readInto(Duration &out, FieldProblems &problems) const;

private:
    bool isZeroText() const;
    QString m_zeroText;
};

} // namespace retrylab
