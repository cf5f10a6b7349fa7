// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/field_problem.h"

#include <QJsonObject>

namespace retrylab {

class JsonReader;

// The scenario's "client" section: which HTTP stack sends the attempts, and how it treats its
// connections (transport/README.md). Never hidden: the choice is in the scenario file.
struct ClientOptions {
    enum class Stack {
        RetryLab, // Retry Lab's own HTTP/1.1 client: each attempt exactly once, phase timings
        Qt,       // QNetworkAccessManager: what a Qt app sees (it may re-send on its own)
    };
    enum class Connections {
        KeepAlive,       // reuse a connection while the server keeps it open
        PerAttempt,      // a new connection for every attempt ("Connection: close")
        NewAfterFailure, // reuse, but never after an attempt that did not succeed
    };
    static constexpr qint64 kDefaultKeepBodyBytes = 64 * 1024;
    static constexpr qint64 kMaxKeepBodyBytes = 64 * 1024 * 1024;
    static constexpr int kMaxConnectionsPerHost = 100'000;

    Stack stack = Stack::RetryLab;
    Connections connections = Connections::KeepAlive;
    int maxConnectionsPerHost = 0; // 0: one connection per client, no shared cap
    // Response bodies are kept up to this many bytes; the rest is counted, never stored.
    qint64 keepBodyBytes = kDefaultKeepBodyBytes;

    bool operator==(const ClientOptions &) const = default;

    QJsonObject toJson() const;
    // Reads the section's fields into `out` (a missing field keeps its value); problems are
    // named with the reader's path ("client.stack").
    static void read(const JsonReader &section, ClientOptions &out);
};

QString stackId(ClientOptions::Stack s);
QString connectionsId(ClientOptions::Connections c);

} // namespace retrylab
