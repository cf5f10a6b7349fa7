// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "mock/client_grades.h"

#include <QString>

namespace retrylab {

// The HTML report's "Clients" section: the built-in server's report card of each client
// (core/mock/README.md, "The report card") as a table, at most `mostClients` rows. Empty when
// the server saw no client (a run against a URL of the person's own).
QString clientCardsHtml(const GradeReport &report, int mostClients = 20);

} // namespace retrylab
