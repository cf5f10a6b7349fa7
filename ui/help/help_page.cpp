// SPDX-License-Identifier: GPL-3.0-or-later
#include "help_page.h"

#include "policy/backoff.h"

#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace retrylab {

HelpPage::HelpPage(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("What am I looking at?"));
    auto *layout = new QVBoxLayout(this);
    auto *text = new QTextBrowser;
    text->setObjectName(u"helpText"_s);
    text->setOpenExternalLinks(true);
    text->setHtml(html());
    layout->addWidget(text);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(760, 640);
}

QString HelpPage::html()
{
    QString strategies;
    for (const QString &id : Backoff::ids()) {
        const auto kind = *Backoff::kindFromId(id);
        strategies += u"<li><b>%1</b>: <code>%2</code></li>"_s.arg(
            Backoff::title(kind).toHtmlEscaped(), Backoff::formula(kind).toHtmlEscaped());
    }
    return tr("<h2>What am I looking at?</h2>"
              "<p>Retry Lab sends requests the way a client library would, retries them as the "
              "policy says, and records every attempt.</p>"
              "<h3>The window</h3><ul>"
              "<li><b>Policy</b>: how long to wait before each retry, how many attempts, the time "
              "budget for the whole operation, what counts as retryable, what to do with "
              "Retry-After, the circuit breaker and the retry budget. Start from a library's "
              "defaults in <i>Start from</i>. The preview shows one failing operation's waits.</li>"
              "<li><b>Target &amp; load</b>: what to call (the built-in server or a URL, or paste "
              "a "
              "curl command), how many clients, how many operations, real or simulated time.</li>"
              "<li><b>Attempts</b>: one row per attempt: when it started, how it ended, the wait "
              "before it (planned and real) and where that wait came from.</li>"
              "<li><b>Charts</b>: the run, live. <i>Attempt timeline</i>: one line per operation "
              "(or client), each attempt a bar coloured by how it ended, the waits between them "
              "as thin lines (dashed: the server's Retry-After); wheel to zoom, drag to pan, "
              "hover for the record. <i>Jitter distribution</i>: the waits actually taken, with "
              "the formula's expectation in red and how well they fit (KS); switch to the "
              "preview to see a policy's waits before running it. <i>Breaker states</i>: when "
              "each breaker opened and why. <i>Retry-After compliance</i>: the wait asked for "
              "against the wait taken; red points came back early. <i>Server load</i>: requests "
              "per 100 ms, first attempts and retries, against the server's capacity. Each chart "
              "exports as PNG or SVG.</li>"
              "<li><b>Compare</b>: the same scenario with up to four policies at once, each "
              "against its own copy of the server. The <i>Thundering herd</i> button on the "
              "Demos toolbar runs the classic one.</li>"
              "<li><b>Built-in server</b>: a server that fails on purpose. Change it while a run "
              "goes on, or take it down for a while, and watch the policy cope.</li>"
              "<li><b>File</b>: export the run (CSV, JSON Lines, HAR for a browser, an HTML "
              "report for a team; secret headers are hidden), or open an old run's log. "
              "<b>Copy as code</b> on the Policy tab writes the policy for Polly, resilience4j, "
              "tenacity, urllib3, the AWS SDK, gRPC or Envoy.</li></ul>"
              "<h3>The strategies</h3><p><i>n</i> is the retry number from 0, <i>m</i> the "
              "multiplier, <i>U(a, b)</i> a random wait between a and b.</p><ul>%1</ul>"
              "<p>Without jitter, clients that failed together retry together: a herd. Jitter "
              "spreads them out; full and decorrelated jitter do it best.</p>"
              "<h3>Words</h3><ul>"
              "<li><b>Retry-After</b>: the server says how long to wait. Coming back sooner is a "
              "violation, counted on both sides.</li>"
              "<li><b>Idempotency key</b>: lets the server recognise a retry of a request it "
              "already handled, so a lost answer does not mean a second charge.</li>"
              "<li><b>Circuit breaker</b>: after enough failures, stop calling for a while, then "
              "let a few probe calls through.</li>"
              "<li><b>Retry budget</b>: a cap on retries across all operations, so an outage does "
              "not become a retry storm.</li></ul>")
        .arg(strategies);
}

} // namespace retrylab
