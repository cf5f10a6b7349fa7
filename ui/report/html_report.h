// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/attempt_log.h"
#include "log/run_summary.h"
#include "scenario/scenario.h"

namespace retrylab {

// A one-page HTML report of a run that can be mailed to a team: the scenario, the policy, the
// summary table, the expectations, and the five charts as embedded SVG. Self-contained: no
// scripts, no external files. Needs a QApplication (the charts are drawn offscreen).
QString htmlReport(const AttemptLog &log, const Scenario &scenario, const RunSummary &summary,
                   const QList<Expectations::Result> &expectations);
bool writeHtmlReport(const AttemptLog &log, const Scenario &scenario, const RunSummary &summary,
                     const QList<Expectations::Result> &expectations, const QString &fileName,
                     QString *error);

} // namespace retrylab
