// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/duration.h"
#include "base/limits.h"

#include <QByteArray>
#include <QHash>
#include <QString>

namespace retrylab {

// How the built-in server tells clients and their operations apart (core/mock/README.md,
// "Client chains"). `header` names a header whose value identifies an operation when the
// client sends no X-Operation-Id (for example Idempotency-Key or X-Request-Id); `silence` is
// how long a client may be quiet before its next request starts a new operation.
struct ChainOptions {
    QByteArray header;
    Duration silence = std::chrono::seconds(30);
    bool operator==(const ChainOptions &) const = default;
};

// What the chains read of one request.
struct ChainRequest {
    QString clientId;       // X-Client-Id
    QString operationId;    // X-Operation-Id
    QByteArray headerValue; // the value of ChainOptions::header
    QByteArray peer;        // the client's address
    QByteArray userAgent;
    QString method;
    QString path;
    QByteArray body;
    Duration at{0};
};

// Where one request stands: the client it came from, the operation it belongs to and which
// attempt of that operation it is (1 for the first).
struct ChainPlace {
    QString client;
    QString operation;
    int attempt = 0;
    QString by;  // how they were told apart: "x-client-id, x-operation-id", "peer+user-agent, ..."
    QString key; // the chain's own key, for answered()
};

// Statuses a client should not retry: 4xx but 408 (timeout), 409 (a request still in flight),
// 425 (too early) and 429 (slow down); 501 and 505 (never going to work).
bool isPermanentStatus(int status);

// Groups requests into clients and operations as they arrive: by X-Client-Id and
// X-Operation-Id when sent; else by the header the person named; else by peer address,
// User-Agent, method, path and a fingerprint of the body, a new operation starting after a
// success, a permanent status, or a silence longer than ChainOptions::silence. Not
// thread-safe: it lives in MockService. A named operation quiet for kForgetNamed (or the
// silence, if longer) is forgotten, so that a server that sees a new operation id per
// operation stays the same size hour after hour; a request naming it later starts again at
// attempt 1. Holds at most kMaxChains chains; past that, the quiet ones are forgotten first.
class ClientChains
{
public:
    static constexpr int kMaxChains = limits::kServerChains;
    static constexpr Duration kForgetNamed = limits::kNamedChainQuiet;

    void setOptions(const ChainOptions &options) { m_options = options; }
    const ChainOptions &options() const { return m_options; }
    ChainPlace place(const ChainRequest &request);
    // The answer to a request at `place` (0: no HTTP answer, a network failure) was sent at
    // `at`: a success or a permanent status ends its operation.
    void answered(const QString &key, int status, Duration at);
    void clear()
    {
        m_chains.clear();
        m_sweptAt = Duration{0};
    }
    qsizetype size() const { return m_chains.size(); }

private:
    struct Chain {
        QString client;
        QString operation;
        int operations = 0; // operations so far on this fingerprint
        int attempt = 0;
        bool ended = true;
        bool named = false; // by X-Operation-Id or ChainOptions::header
        Duration lastAt{0};
    };
    void forgetNamed(Duration now);
    void makeRoom(Duration now);

    ChainOptions m_options;
    QHash<QString, Chain> m_chains;
    Duration m_sweptAt{0}; // when forgetNamed() last looked
};

} // namespace retrylab
