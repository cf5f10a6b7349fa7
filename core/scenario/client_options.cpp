// SPDX-License-Identifier: GPL-3.0-or-later
#include "client_options.h"

#include "json/json_reader.h"

using namespace Qt::StringLiterals;

namespace retrylab {

QString stackId(ClientOptions::Stack s)
{
    return s == ClientOptions::Stack::Qt ? u"qt"_s : u"retrylab"_s;
}

QString connectionsId(ClientOptions::Connections c)
{
    switch (c) {
    case ClientOptions::Connections::KeepAlive:
        return u"keep-alive"_s;
    case ClientOptions::Connections::PerAttempt:
        return u"per-attempt"_s;
    case ClientOptions::Connections::NewAfterFailure:
        return u"new-after-failure"_s;
    }
    return {};
}

QJsonObject ClientOptions::toJson() const
{
    return QJsonObject{{u"stack"_s, stackId(stack)},
                       {u"connections"_s, connectionsId(connections)},
                       {u"maxConnectionsPerHost"_s, maxConnectionsPerHost},
                       {u"keepBodyBytes"_s, keepBodyBytes}};
}

void ClientOptions::read(const JsonReader &r, ClientOptions &c)
{
    r.rejectUnknown({u"stack"_s, u"connections"_s, u"maxConnectionsPerHost"_s, u"keepBodyBytes"_s});
    r.readId<Stack>(u"stack"_s, c.stack,
                    [](const QString &v) -> std::optional<Stack> {
                        for (const Stack s : {Stack::RetryLab, Stack::Qt})
                            if (stackId(s) == v)
                                return s;
                        return std::nullopt;
                    },
                    {u"retrylab"_s, u"qt"_s});
    r.readId<Connections>(
        u"connections"_s, c.connections,
        [](const QString &v) -> std::optional<Connections> {
            for (const Connections k :
                 {Connections::KeepAlive, Connections::PerAttempt, Connections::NewAfterFailure})
                if (connectionsId(k) == v)
                    return k;
            return std::nullopt;
        },
        {u"keep-alive"_s, u"per-attempt"_s, u"new-after-failure"_s});
    r.read(u"maxConnectionsPerHost"_s, c.maxConnectionsPerHost, 0, kMaxConnectionsPerHost);
    int keep = int(c.keepBodyBytes);
    r.read(u"keepBodyBytes"_s, keep, 0, int(kMaxKeepBodyBytes));
    c.keepBodyBytes = keep;
    if (c.stack == Stack::Qt && r.has(u"connections"_s) && c.connections != Connections::KeepAlive)
        r.problem(u"connections"_s, u"the qt stack manages its own connections: only "
                                    "\"keep-alive\" applies to it"_s);
}

} // namespace retrylab
