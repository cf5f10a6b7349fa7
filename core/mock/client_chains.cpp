// SPDX-License-Identifier: GPL-3.0-or-later
#include "client_chains.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace retrylab {

bool isPermanentStatus(int status)
{
    if (status >= 400 && status < 500)
        return status != 408 && status != 409 && status != 425 && status != 429;
    return status == 501 || status == 505;
}

namespace {

// The body in 8 hex digits: enough to tell two payloads of one client apart.
QString fingerprint(const QByteArray &body)
{
    if (body.isEmpty())
        return u"-"_s;
    return QString::fromLatin1(
        QCryptographicHash::hash(body, QCryptographicHash::Sha1).first(4).toHex());
}

} // namespace

ChainPlace ClientChains::place(const ChainRequest &r)
{
    ChainPlace p;
    QString by;
    if (!r.clientId.isEmpty()) {
        p.client = r.clientId;
        by = u"x-client-id"_s;
    } else {
        const QString agent =
            r.userAgent.isEmpty() ? u"(no User-Agent)"_s : QString::fromLatin1(r.userAgent);
        p.client = QString::fromLatin1(r.peer) + u' ' + agent;
        by = u"peer+user-agent"_s;
    }
    // An operation named by the client: every request with that name is one more attempt.
    QString named;
    if (!r.operationId.isEmpty()) {
        named = r.operationId;
        by += u", x-operation-id"_s;
    } else if (!r.headerValue.isEmpty()) {
        named = QString::fromLatin1(r.headerValue);
        by += u", "_s + QString::fromLatin1(m_options.header);
    } else {
        by += u", method+path+body"_s;
    }
    const QString shape = r.method + u' ' + r.path + u' ' + fingerprint(r.body);
    p.key = p.client + u'\n' + (named.isEmpty() ? shape : u"op:"_s + named);
    p.by = by;
    forgetNamed(r.at);
    if (!m_chains.contains(p.key))
        makeRoom(r.at);
    Chain &c = m_chains[p.key];
    c.client = p.client;
    c.named = !named.isEmpty();
    if (named.isEmpty()) {
        if (c.ended || r.at - c.lastAt > m_options.silence) {
            ++c.operations;
            c.operation = u"%1 #%2"_s.arg(shape).arg(c.operations);
            c.attempt = 0;
        }
    } else if (c.operation.isEmpty()) {
        c.operation = named;
    }
    c.ended = false;
    c.lastAt = r.at;
    p.operation = c.operation;
    p.attempt = ++c.attempt;
    return p;
}

void ClientChains::answered(const QString &key, int status, Duration at)
{
    const auto it = m_chains.find(key);
    if (it == m_chains.end())
        return;
    it->lastAt = std::max(it->lastAt, at);
    if ((status >= 200 && status < 400) || isPermanentStatus(status))
        it->ended = true;
}

void ClientChains::forgetNamed(Duration now)
{
    // A look every quarter of the time kept: at most a quarter more chains than are live.
    const Duration keep = std::max(kForgetNamed, m_options.silence);
    if (now - m_sweptAt < keep / 4)
        return;
    m_sweptAt = now;
    // Unnamed chains stay: forgetting one would number its next operation "#1" again, and the
    // report card would take it for the old one. They are as many as clients times requests.
    m_chains.removeIf(
        [&](const auto &it) { return it.value().named && now - it.value().lastAt > keep; });
}

void ClientChains::makeRoom(Duration now)
{
    if (m_chains.size() < kMaxChains)
        return;
    // Quiet chains would start a new operation anyway: forgetting them loses nothing.
    m_chains.removeIf([&](const auto &it) { return now - it.value().lastAt > m_options.silence; });
    if (m_chains.size() >= kMaxChains)
        m_chains.clear();
}

} // namespace retrylab
