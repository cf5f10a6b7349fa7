// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/attempt_record.h"

#include <QStringList>

namespace retrylab {

// One attempt's phase timings as a person probing an endpoint reads them: each phase's own
// length, and beside the phase that ends it, the time since the lookup started under the
// name `curl -w` gives it (time_namelookup, time_connect, time_appconnect, time_pretransfer,
// time_starttransfer, time_total; seconds with six decimals, as curl prints them). A phase that
// did not happen reads "–" (with why, on a reused connection), and time_appconnect is 0 without
// a TLS handshake, as in curl; phases after the attempt
// failed are left out. Empty when no phase is known (simulated time, refused locally).
// The times since start count from the lookup, as core/transport/README.md ("Phase timings")
// maps the phases onto curl's names: a wait for a free connection ("blocked") comes first,
// outside them, and time_pretransfer falls after the request is written.
struct CurlTimingRow {
    QString phase;     // "DNS", "connect", ... (empty for time_pretransfer's own line)
    QString took;      // "120 us", "–"
    QString curlName;  // "time_connect" (empty when curl has no name for this point)
    QString curlValue; // "0.000470"
    bool operator==(const CurlTimingRow &) const = default;
};
QList<CurlTimingRow> curlTimingRows(const PhaseTimings &phases);
// The rows as aligned text lines, indented by `indent` spaces.
QStringList curlTimingLines(const PhaseTimings &phases, int indent = 2);

} // namespace retrylab
