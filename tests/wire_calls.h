// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Attempts for the tests of Retry Lab's own client (tst_wire_client, tst_wire_phases): a GET
// to send, and sending them one after another on a WireTransport.
#include "scripted_http_server.h"
#include "transport/wire_transport.h"

#include <QTest>

struct Call {
    bool done = false;
    retrylab::AttemptResponse response;
};

inline retrylab::AttemptRequest get(std::uint64_t id, std::uint32_t client = 0,
                                    QByteArray method = "GET")
{
    retrylab::AttemptRequest r;
    r.id = id;
    r.client = client;
    r.method = std::move(method);
    r.path = QStringLiteral("/x?y=1");
    r.headers = {{"X-Attempt", QByteArray::number(id)}};
    return r;
}

// Sends the attempts one after another (each after the last one ended) and returns how each
// ended.
inline QList<retrylab::AttemptResponse> sendInTurn(retrylab::WireTransport &t,
                                                   QList<retrylab::AttemptRequest> requests)
{
    QList<retrylab::AttemptResponse> out;
    for (const retrylab::AttemptRequest &r : requests) {
        Call call;
        t.send(r, [&call](const retrylab::AttemptResponse &response) {
            call.done = true;
            call.response = response;
        });
        if (!QTest::qWaitFor([&] { return call.done; }, 10000))
            qFatal("attempt %llu never ended", static_cast<unsigned long long>(r.id));
        out.append(call.response);
    }
    return out;
}

inline QUrl urlOf(const ScriptedHttpServer &s)
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(s.port()));
}
