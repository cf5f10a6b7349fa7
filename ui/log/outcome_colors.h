// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/outcome_category.h"
#include "http/outcome.h"

#include <QColor>

namespace retrylab {

// One colour per kind of outcome, shared by the log table and (later) the charts. The tints
// are translucent so that text stays readable on light and dark palettes alike.
QColor outcomeColor(OutcomeClass outcome, int status);
QColor outcomeTint(OutcomeClass outcome, int status);
QColor categoryColor(OutcomeCategory category);

} // namespace retrylab
