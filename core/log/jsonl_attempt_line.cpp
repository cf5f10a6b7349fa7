// SPDX-License-Identifier: GPL-3.0-or-later
// An attempt record as a line of the JSON Lines log (jsonl_log.h), written directly: the hot
// path of a long run's worker thread.
#include "attempt_fields.h"
#include "http/request_headers.h"
#include "json/json_line.h"
#include "jsonl_log.h"

#include <QJsonDocument>

namespace retrylab {

namespace {

// Header fields as array elements, secrets redacted field by field (Redactor::apply).
void appendFields(JsonWriter &w, const HeaderList &headers, const Redactor &redactor)
{
    for (const auto &[name, value] : headers)
        w.beginObject()
            .key("name")
            .latin1(name)
            .key("value")
            .latin1(redactor.isSecret(name) ? Redactor::kMask : QByteArrayView(value))
            .endObject();
}

// A header block of the log's strings as array elements, from the cache when there is one.
void appendBlock(JsonWriter &w, std::uint32_t index, const AttemptLog &log,
                 const Redactor &redactor, HeaderJsonCache *cache)
{
    if (cache)
        w.elements(cache->elements(index, log, redactor));
    else if (index)
        appendFields(w, parseHeaderBlock(log.string(index)), redactor);
}

// The phases by their HAR names, in milliseconds (one that did not happen is left out), the
// client's lag, and whether the connection was reused; in key order.
void appendPhases(JsonWriter &w, const PhaseTimings &p)
{
    w.beginObject();
    const std::pair<const char *, qint32> before[] = {{"blockedMs", p.blockedUs},
                                                      {"connectMs", p.connectUs},
                                                      {"dnsMs", p.dnsUs},
                                                      {"lagMs", p.lagUs},
                                                      {"receiveMs", p.receiveUs}};
    for (const auto &[name, us] : before)
        if (us >= 0)
            w.key(name).millis(us);
    w.key("reused").value(p.reused);
    const std::pair<const char *, qint32> after[] = {
        {"sendMs", p.sendUs}, {"tlsMs", p.tlsUs}, {"waitMs", p.waitUs}};
    for (const auto &[name, us] : after)
        if (us >= 0)
            w.key(name).millis(us);
    w.endObject();
}

} // namespace

QByteArrayView HeaderJsonCache::elements(std::uint32_t index, const AttemptLog &log,
                                         const Redactor &redactor)
{
    Slot &slot = m_slots[index % m_slots.size()];
    if (slot.index != index) {
        slot.index = index;
        slot.json.clear();
        JsonWriter w(slot.json);
        appendFields(w, parseHeaderBlock(log.string(index)), redactor);
    }
    return slot.json;
}

QJsonObject attemptToJson(const AttemptRecord &r, const AttemptLog &log, int run,
                          const Redactor &redactor)
{
    QByteArray line;
    appendAttemptLine(line, r, log, run, redactor);
    return QJsonDocument::fromJson(line).object();
}

// Keys in sorted order, as QJsonDocument wrote them before (core/log/README.md).
void appendAttemptLine(QByteArray &out, const AttemptRecord &r, const AttemptLog &log, int run,
                       const Redactor &redactor, HeaderJsonCache *cache)
{
    JsonWriter w(out);
    w.beginObject();
    const bool waited = r.plannedDelayUs >= 0;
    if (waited)
        w.key("actualDelayMs").millis(r.actualDelayUs);
    w.key("attempt").value(qint64(r.attempt));
    w.key("breakerState").value(breakerStateId(r.breakerAtStart));
    w.key("client").value(qint64(r.client));
    if (waited)
        w.key("delayReason").value(delaySourceId(r.delaySource));
    if (r.detail)
        w.key("detail").value(log.string(r.detail));
    w.key("finishedMs").millis(r.finishedUs);
    if (r.httpVersion)
        w.key("httpVersion").value(httpVersionText(r.httpVersion));
    if (r.idempotencyKey)
        w.key("idempotencyKey").value(log.string(r.idempotencyKey));
    if (r.insecure)
        w.key("insecure").value(true);
    w.key("kind").value(QStringView(u"attempt"));
    w.key("method").value(log.string(r.method));
    w.key("operation").value(qint64(r.operation));
    w.key("outcome").value(outcome::id(r.outcome));
    if (waited)
        w.key("plannedDelayMs").millis(r.plannedDelayUs);
    // The scenario's headers, then those Retry Lab adds (requestHeadersOf).
    w.key("requestHeaders").beginArray();
    appendBlock(w, r.requestHeaders, log, redactor, cache);
    appendFields(w,
                 generatedHeaders(r.client, r.operation, r.attempt, log.string(r.idempotencyKey)),
                 redactor);
    w.endArray();
    if (r.requestSent)
        w.key("requestSent").value(requestSentOf(r, log, redactor));
    if (r.responseBody)
        w.key("responseBody").value(log.string(r.responseBody));
    if (r.responseBytes >= 0)
        w.key("responseBytes").value(qint64(r.responseBytes));
    if (r.responseHeaders) {
        w.key("responseHeaders").beginArray();
        appendBlock(w, r.responseHeaders, log, redactor, cache);
        w.endArray();
    }
    if (r.retryAfterUs >= 0)
        w.key("retryAfterMs").millis(r.retryAfterUs);
    w.key("run").value(qint64(run));
    w.key("scheduledMs").millis(r.scheduledUs);
    if (waited && r.shortened)
        w.key("shortened").value(true);
    w.key("startedMs").millis(r.startedUs);
    w.key("status").value(qint64(r.status));
    if (r.lastOfOperation)
        w.key("stop").value(stopReasonId(r.stop));
    if (r.phases.known())
        appendPhases(w.key("timings"), r.phases);
    w.key("url").value(log.string(r.url));
    w.endObject();
    out += '\n';
}

} // namespace retrylab
