// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/transport.h"
#include "scenario/client_options.h"
#include "wire_connection.h"

#include <QObject>
#include <QUrl>

#include <deque>
#include <unordered_map>
#include <vector>

namespace retrylab {

// Retry Lab's own HTTP/1.1 client, the scenario's "stack": "retrylab" (transport/README.md):
// every attempt goes on the wire exactly once and is never re-sent behind the policy's back,
// connections are reused as the scenario's "client" section says, and each attempt comes back
// with its phase timings. Connections sit in lanes: one per client when maxConnectionsPerHost
// is 0, else one shared lane of at most that many, where attempts queue (blocked) for a free
// connection. Lives in, and is called from, the engine's thread.
class WireTransport final : public QObject, public Transport
{
    Q_OBJECT
public:
    // `allowInvalidCertificates`: hosts whose certificate errors the person accepted; their
    // responses are marked insecure, with the reasons. Any other certificate error fails the
    // attempt as TLS.
    WireTransport(const QUrl &base, const ClientOptions &options,
                  const QStringList &allowInvalidCertificates = {}, QObject *parent = nullptr);
    ~WireTransport() override;

    void send(const AttemptRequest &request, Done done) override;
    void cancel(std::uint64_t id) override;
    PhaseTimings phasesSoFar(std::uint64_t id) const override;

    // Connections opened so far, and open now (busy or idle).
    std::uint64_t connectionsOpened() const { return m_opened; }
    int connectionsOpen() const;

private:
    struct Pending {
        std::uint64_t id = 0;
        WireConnection::Exchange exchange;
        Done done;
    };
    struct Lane {
        std::vector<WireConnection *> idle; // most recently used last
        int open = 0;                       // busy and idle
        std::deque<Pending> queue;          // waiting for a connection (capped lanes only)
    };
    struct InFlight {
        WireConnection *connection = nullptr;
        std::uint32_t lane = 0;
        Done done;
    };

    std::uint32_t laneOf(std::uint32_t client) const;
    QByteArray requestBytes(const AttemptRequest &r);
    void dispatch(std::uint32_t laneKey, Lane &lane, Pending pending);
    void serveQueue(std::uint32_t laneKey);
    void onDone(WireConnection *connection, AttemptResponse response, bool reusable);
    void forget(std::uint32_t laneKey, WireConnection *connection);

    QUrl m_base;
    WireTarget m_target;
    ClientOptions m_options;
    QByteArray m_hostHeader;
    QString m_lastPath; // the last request's path, and its request target
    QByteArray m_lastTarget;
    std::unordered_map<std::uint32_t, Lane> m_lanes;
    std::unordered_map<std::uint64_t, InFlight> m_inFlight;          // by attempt id
    std::unordered_map<WireConnection *, std::uint64_t> m_attemptOf; // busy connection → id
    std::unordered_map<WireConnection *, std::uint32_t> m_laneOfConnection;
    std::uint64_t m_opened = 0;
};

} // namespace retrylab
