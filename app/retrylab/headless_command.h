// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// `retrylab --headless ...`: parses the options, creates the application object it needs (no
// display; an offscreen one only when an HTML report is asked for) and runs the scenario.
// Returns the process's exit code.
int runHeadlessCommand(int argc, char *argv[]);
