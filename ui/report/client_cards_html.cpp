// SPDX-License-Identifier: GPL-3.0-or-later
#include "client_cards_html.h"

#include "server/clients_view.h"
#include "style/palette.h"

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString cell(const Verdict &v)
{
    using palette::Role;
    const Role role = v.result == u"pass"_s   ? Role::Success
                      : v.result == u"warn"_s ? Role::TooManyRequests
                      : v.result == u"fail"_s ? Role::ServerError
                                              : Role::Neutral;
    return u"<td title=\"%1\" style=\"color:%2;font-weight:bold\">%3</td>"_s.arg(
        esc(v.summary), palette::color(role, false).name(), esc(v.result));
}

} // namespace

QString clientCardsHtml(const GradeReport &report, int mostClients)
{
    if (report.clients.isEmpty())
        return {};
    QString html = u"<h2>Clients</h2>\n<p>How each client that talked to the built-in server "
                   "retried, judged by the server from its journal alone. Hover a verdict for "
                   "why.</p>\n<table>\n<tr><th>Client</th><th>Operations</th><th>Attempts</th>"
                   "<th>Backoff (confidence)</th>"_s;
    const ClientCard &first = report.clients.front();
    for (const Verdict &v : first.verdicts)
        html += u"<th>%1</th>"_s.arg(esc(v.id));
    html += u"</tr>\n"_s;
    for (int i = 0; i < report.clients.size() && i < mostClients; ++i) {
        const ClientCard &c = report.clients[i];
        html += u"<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td>"_s.arg(
            esc(c.client), QString::number(c.operations), QString::number(c.attempts),
            esc(describeBackoff(c.inferred)));
        for (const Verdict &v : c.verdicts)
            html += cell(v);
        html += u"</tr>\n"_s;
    }
    html += u"</table>\n"_s;
    if (report.clients.size() > mostClients)
        html += u"<p>… and %1 more clients (GET /__admin/grades lists them all).</p>\n"_s.arg(
            report.clients.size() - mostClients);
    return html;
}

} // namespace retrylab
