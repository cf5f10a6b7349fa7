// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

namespace retrylab {

// One thing wrong (or worth a warning) with one field, named by its path in the scenario JSON
// ("policy.backoff.cap"), so an editor can show it next to the field and a loader can name it.
struct FieldProblem {
    QString field;
    QString message;
    bool operator==(const FieldProblem &) const = default;
};

using FieldProblems = QList<FieldProblem>;

} // namespace retrylab
