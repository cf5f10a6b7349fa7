// SPDX-License-Identifier: GPL-3.0-or-later
// retrylab-mock: the built-in flaky server on its own, for pointing any client at.
#include "base/atomic_file.h"
#include "mock/mock_server.h"
#include "system/termination_watcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>

#include <cstdio>

using namespace Qt::StringLiterals;
namespace {

// The command's options, each declared once.
struct MockFlags {
    const QCommandLineOption port{u"port"_s, u"Port to listen on (0: one the OS picks)."_s, u"N"_s,
                                  u"0"_s};
    const QCommandLineOption profile{
        u"profile"_s,
        u"Fault profile: a JSON file, or the name of a ready one (%1)."_s.arg(
            retrylab::FaultProfile::readyProfiles().join(u", "_s)),
        u"FILE"_s, u"flaky-503"_s};
    const QCommandLineOption seed{u"seed"_s, u"Seed of every random decision."_s, u"S"_s, u"1"_s};
    const QCommandLineOption bind{u"bind"_s,
                                  u"Address to listen on (default 127.0.0.1). Anything but "
                                  "loopback exposes the server to the network."_s,
                                  u"ADDR"_s};
    const QCommandLineOption adminToken{
        u"admin-token"_s,
        u"Token the admin API asks for, as 'Authorization: Bearer TOKEN'. Without it, a server "
        "bound beyond loopback makes one up and prints it; on loopback none is asked."_s,
        u"TOKEN"_s};
    const QCommandLineOption chainHeader{
        u"chain-header"_s,
        u"A header whose value names an operation (e.g. Idempotency-Key, X-Request-Id), for "
        "clients that send no X-Operation-Id: every request with one value is one more attempt "
        "of one operation."_s,
        u"NAME"_s};
    const QCommandLineOption chainSilence{
        u"chain-silence"_s,
        u"Seconds a client may be quiet before its next request starts a new operation (when "
        "operations are told apart by method, path and body)."_s,
        u"S"_s, u"30"_s};
    const QCommandLineOption grades{
        u"grades"_s,
        u"Write the report card of every client (as GET /__admin/grades answers) to FILE when "
        "the server stops, also on Ctrl+C or SIGTERM."_s,
        u"FILE"_s};
    const QCommandLineOption maxAttempts{
        u"max-attempts"_s,
        u"The most attempts per operation the clients are meant to make (judged as "
        "'within-max-attempts')."_s,
        u"N"_s};

    QList<QCommandLineOption> all() const
    {
        return {port,        profile,      seed,   bind,       adminToken,
                chainHeader, chainSilence, grades, maxAttempts};
    }
};

// What the command line asks of the server, read and checked.
struct MockSettings {
    uint port = 0;
    quint64 seed = 0;
    QHostAddress address{QHostAddress::LocalHost};
    retrylab::ChainOptions chains;
    retrylab::GradeOptions grades;
};

// Prints `message` as the command's error and gives its exit status.
int failure(const QString &message)
{
    std::fprintf(stderr, "retrylab-mock: %s\n", qUtf8Printable(message));
    return 2;
}

// Fills `s` from the parsed command line: 0, or the exit status after saying what is wrong.
int readMockSettings(const QCommandLineParser &parser, const MockFlags &f, MockSettings &s)
{
    bool ok = false;
    s.port = parser.value(f.port).toUInt(&ok);
    if (!ok || s.port > 65535)
        return failure(
            u"--port: '%1' is not a port number (0 to 65535)"_s.arg(parser.value(f.port)));
    s.seed = parser.value(f.seed).toULongLong(&ok);
    if (!ok)
        return failure(u"--seed: '%1' is not a whole number"_s.arg(parser.value(f.seed)));
    if (parser.isSet(f.bind)) {
        if (!s.address.setAddress(parser.value(f.bind)))
            return failure(u"--bind: '%1' is not an IP address"_s.arg(parser.value(f.bind)));
        if (!s.address.isLoopback())
            std::fprintf(stderr,
                         "retrylab-mock: warning: listening on %s, which is reachable "
                         "from other machines\n",
                         qUtf8Printable(s.address.toString()));
    }
    s.chains.header = parser.value(f.chainHeader).toLatin1();
    const double silence = parser.value(f.chainSilence).toDouble(&ok);
    if (!ok || !(silence > 0) || silence > 86400)
        return failure(u"--chain-silence: '%1' is not a number of seconds from 0 to 86400"_s.arg(
            parser.value(f.chainSilence)));
    s.chains.silence = retrylab::fromMs(silence * 1000.0);
    if (parser.isSet(f.maxAttempts)) {
        s.grades.statedMaxAttempts = parser.value(f.maxAttempts).toInt(&ok);
        if (!ok || s.grades.statedMaxAttempts < 1)
            return failure(u"--max-attempts: '%1' is not a whole number above 0"_s.arg(
                parser.value(f.maxAttempts)));
    }
    return 0;
}

// Where the server listens goes to stdout, for scripts; the rest is for the person at stderr.
void announce(const retrylab::MockServer &server, const QString &profileName, quint64 seed)
{
    std::printf("%s\n", qUtf8Printable(server.url().toString()));
    std::fprintf(stderr, "retrylab-mock: profile '%s', seed %llu; admin API at %s__admin/stats\n",
                 qUtf8Printable(profileName), static_cast<unsigned long long>(seed),
                 qUtf8Printable(server.url().toString()));
    if (!server.adminToken().isEmpty())
        std::fprintf(stderr, "retrylab-mock: the admin API asks for 'Authorization: Bearer %s'\n",
                     server.adminToken().constData());
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"retrylab-mock"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(RETRYLAB_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Retry Lab's flaky HTTP server: status mixes with Retry-After, latency, connection "
        "faults, rate limits, outages, idempotency keys on POST /payments, a journal that "
        "judges Retry-After compliance, and an admin API under /__admin/."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const MockFlags flags;
    parser.addOptions(flags.all());
    parser.process(app);

    MockSettings settings;
    if (const int status = readMockSettings(parser, flags, settings))
        return status;
    QString error;
    const QString profileArg = parser.value(flags.profile);
    auto faults = retrylab::FaultProfile::readyProfiles().contains(profileArg)
                      ? retrylab::FaultProfile::ready(profileArg)
                      : retrylab::FaultProfile::load(profileArg, &error);
    if (!faults)
        return failure(error);

    retrylab::MockServer server(*faults, settings.seed);
    server.setChainOptions(settings.chains);
    server.setGradeOptions(settings.grades);
    const QByteArray token = parser.value(flags.adminToken).toUtf8();
    if (parser.isSet(flags.adminToken) && token.size() < 8)
        return failure(u"--admin-token: use at least 8 characters"_s);
    if (!server.listen(settings.address, static_cast<quint16>(settings.port), &error, token))
        return failure(error);
    announce(server, faults->name, settings.seed);

    retrylab::TerminationWatcher watcher;
    QObject::connect(&watcher, &retrylab::TerminationWatcher::terminationRequested, &app,
                     [](int) { QCoreApplication::quit(); });
    const int status = QCoreApplication::exec();
    if (parser.isSet(flags.grades)) {
        const QByteArray json = QJsonDocument(server.grades().toJson()).toJson();
        if (!retrylab::writeFileAtomically(parser.value(flags.grades), json, &error))
            return failure(u"--grades: "_s + error);
    }
    return status;
}
