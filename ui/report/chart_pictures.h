// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/attempt_log.h"
#include "log/run_summary.h"
#include "scenario/scenario.h"

#include <functional>

namespace retrylab {

class ChartPanel;

// The five charts of a run drawn offscreen, one after the other, from the same analysis the
// window uses: for the HTML report and for writing every chart as PNG and SVG.
void forEachChart(const AttemptLog &log, const Scenario &scenario, const RunSummary &summary,
                  const std::function<void(ChartPanel *)> &draw);

// Writes every chart as NN-name.png and NN-name.svg into `dir` (made if missing). Returns the
// files written, or an empty list with `error` set.
QStringList writeChartPictures(const AttemptLog &log, const Scenario &scenario,
                               const RunSummary &summary, const QString &dir, QString *error);

} // namespace retrylab
