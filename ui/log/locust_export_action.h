// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/scenario.h"

#include <functional>
#include <optional>

class QMenu;
class QWidget;

namespace retrylab {

// File → Export for Locust…: asks for a folder, writes the scenario there as a Locust test
// (export/locust_export.h) and shows the commands to run it and what Locust cannot do.
void addLocustExport(QMenu *menu, QWidget *window,
                     std::function<std::optional<Scenario>()> currentScenario);

} // namespace retrylab
