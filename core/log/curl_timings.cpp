// SPDX-License-Identifier: GPL-3.0-or-later
#include "curl_timings.h"

#include "base/duration.h"

using namespace Qt::StringLiterals;

namespace retrylab {

QList<CurlTimingRow> curlTimingRows(const PhaseTimings &p)
{
    if (!p.known())
        return {};
    struct Phase {
        QString name;
        qint32 us;
        QString curlName;
    };
    // curl has no name for the wait for a free connection; its time_queue (curl 8.6+) is not
    // printed by older versions, so the line stands alone.
    const Phase phases[] = {
        {u"blocked"_s, p.blockedUs, {}},
        {u"DNS"_s, p.dnsUs, u"time_namelookup"_s},
        {u"connect"_s, p.connectUs, u"time_connect"_s},
        {u"TLS"_s, p.tlsUs, u"time_appconnect"_s},
        {u"send"_s, p.sendUs, {}},
        {u"wait"_s, p.waitUs, u"time_starttransfer"_s},
        {u"receive"_s, p.receiveUs, u"time_total"_s},
    };
    constexpr int kSend = 4;
    int last = -1;
    for (int i = 0; i < int(std::size(phases)); ++i)
        if (phases[i].us >= 0)
            last = i;
    const auto seconds = [](qint64 us) {
        return QString::number(double(us) / 1e6, 'f', 6);
    };
    QList<CurlTimingRow> rows;
    // From the start of the lookup to the end of each phase; a wait for a free connection
    // comes before curl's clock starts (core/transport/README.md, "Phase timings").
    qint64 since = 0;
    for (int i = 0; i <= last; ++i) {
        const Phase &ph = phases[i];
        if (i == 0) {
            if (ph.us >= 0)
                rows.append({ph.name, formatDurationReadable(Duration(ph.us)), {}, {}});
            continue;
        }
        since += std::max<qint32>(0, ph.us);
        QString took;
        if (ph.us >= 0)
            took = formatDurationReadable(Duration(ph.us));
        else if (p.reused && i <= 3)
            took = u"– (reused connection)"_s;
        else
            took = u"–"_s;
        // curl prints time_appconnect as 0 when there was no TLS handshake.
        const bool noTls = i == 3 && ph.us < 0;
        rows.append({ph.name, took, ph.curlName,
                     ph.curlName.isEmpty() ? QString() : seconds(noTls ? 0 : since)});
        if (i == kSend) // the request is out: what follows is the server's
            rows.append({{}, {}, u"time_pretransfer"_s, seconds(since)});
    }
    return rows;
}

QStringList curlTimingLines(const PhaseTimings &phases, int indent)
{
    const QList<CurlTimingRow> rows = curlTimingRows(phases);
    qsizetype phaseWidth = 0;
    qsizetype tookWidth = 0;
    qsizetype curlWidth = 0;
    for (const CurlTimingRow &r : rows) {
        phaseWidth = std::max(phaseWidth, r.phase.size());
        tookWidth = std::max(tookWidth, r.took.size());
        curlWidth = std::max(curlWidth, r.curlName.size());
    }
    QStringList lines;
    for (const CurlTimingRow &r : rows) {
        QString line = QString(indent, u' ') + r.phase.leftJustified(phaseWidth + 2) +
                       r.took.leftJustified(tookWidth + 3);
        if (!r.curlName.isEmpty())
            line += r.curlName.leftJustified(curlWidth + 2) + r.curlValue + u" s"_s;
        while (line.endsWith(u' '))
            line.chop(1);
        lines << line;
    }
    return lines;
}

} // namespace retrylab
