// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// `retrylab --export-locust DIR --scenario FILE [--host URL]`: writes the scenario as a Locust
// test into DIR (core/export/locust_export.h) and prints the commands to run it. Returns the
// process's exit code: 0, or 2 for bad input or a file that could not be written.
int runExportLocustCommand(int argc, char *argv[]);
