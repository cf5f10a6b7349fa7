// SPDX-License-Identifier: GPL-3.0-or-later
#include "locust_export.h"

#include "base/atomic_file.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

constexpr auto kPackageResource = ":/retrylab/locust/retrylab_locust";

QString pythonString(const QString &s)
{
    // JSON string syntax is valid Python for the characters a URL or path can hold.
    return QString::fromUtf8(QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact))
        .mid(1)
        .chopped(1);
}

} // namespace

LocustExport::LocustExport(Scenario scenario)
    : m_scenario(std::move(scenario))
{}

int LocustExport::users() const
{
    return std::max(1, m_scenario.clients);
}

double LocustExport::spawnRate() const
{
    // Retry Lab spreads the first operations over the stagger window; Locust starts users at a
    // rate. No stagger: all clients start within the first second.
    const double stagger = toMs(m_scenario.stagger) / 1000.0;
    return stagger > 0.0 ? users() / stagger : users();
}

int LocustExport::runTimeSeconds() const
{
    return std::max(1, static_cast<int>(std::ceil(toMs(m_scenario.duration) / 1000.0)));
}

QString LocustExport::requestUrl() const
{
    if (m_scenario.builtinServer)
        return m_scenario.path;
    return m_scenario.url.resolved(QUrl(m_scenario.path)).toString();
}

QStringList LocustExport::limitations() const
{
    const Scenario &s = m_scenario;
    QStringList out;
    if (s.builtinServer)
        out << u"The scenario targets Retry Lab's built-in server: start retrylab-mock with the "
               "profile '%1' (profile.json here) and give Locust its URL with --host."_s.arg(
                   s.profile.name);
    if (s.simulated)
        out << u"The scenario runs on simulated time in Retry Lab; Locust runs in real time, so "
               "the network delay and the contention model of the simulation do not apply."_s;
    if (s.sharedBreaker)
        out << u"The shared circuit breaker becomes one breaker per worker process: Locust "
               "workers share no memory."_s;
    if (s.sharedBudget)
        out << u"The shared retry budget becomes one budget per worker process: Locust workers "
               "share no memory."_s;
    if (s.arrivalRatePerSecond > 0)
        out << u"Arrivals: each user starts its operations as a Poisson process of rate/users, "
               "so all users together arrive at %1/s while they are free; Retry Lab's engine "
               "hands arrivals to whichever client is next."_s.arg(s.arrivalRatePerSecond);
    else
        out << u"Each user runs its %1 operations one after another, then stops; the run "
               "itself ends after the run time (%2 s, change it with --run-time)."_s
                   .arg(s.operationsPerClient)
                   .arg(runTimeSeconds());
    if (s.stagger > Duration::zero())
        out << u"The stagger window becomes Locust's spawn rate (%1 users/s)."_s.arg(spawnRate());
    if (!s.compare.isEmpty())
        out << u"Only the scenario's own policy is exported; the %1 compared policies are "
               "not."_s.arg(s.compare.size());
    if (!s.expectations.isEmpty())
        out << u"Locust does not check the scenario's expectations; `retrylab --headless "
               "--merge` reports on the merged logs."_s;
    if (!s.allowInvalidCertificates.isEmpty())
        out << u"Invalid TLS certificates are not accepted for any host: such attempts fail "
               "as 'tls'."_s;
    out << u"Client ids are worker index × %1 + the user's number on its worker, so that every "
           "client is one X-Client-Id across workers."_s.arg(users());
    out << u"Response headers are kept in the log for the first 200 attempts of each worker, "
           "and the log has no record cap."_s;
    return out;
}

QString LocustExport::commands(const QString &host) const
{
    // Debian's Python by its full path: a python3 earlier on PATH (pyenv, a venv) may not see
    // Debian's python3-locust.
    const QString locust = u"/usr/bin/python3 -m locust -f locustfile.py"_s;
    QString out;
    if (m_scenario.builtinServer) {
        const QString profile = FaultProfile::readyProfiles().contains(m_scenario.profile.name)
                                    ? m_scenario.profile.name
                                    : u"profile.json"_s;
        out +=
            u"retrylab-mock --profile %1 --port %2 &\n"_s.arg(profile).arg(QUrl(host).port(8080));
    }
    out += u"%1 --worker &\n"_s.arg(locust).repeated(2);
    out += u"%1 --headless --master --config master.conf --expect-workers 2%2\n"_s.arg(
        locust, m_scenario.builtinServer ? u" --host "_s + host : QString());
    out += u"retrylab --headless --merge retrylab-logs/*.jsonl --summary summary.json\n"_s;
    return out;
}

QByteArray LocustExport::masterConf() const
{
    QString conf =
        u"# Written by Retry Lab from the scenario \"%1\": the load, for the master only\n"
        "# (--config master.conf; a worker refuses --run-time).\n"
        "users = %2\nspawn-rate = %3\nrun-time = %4s\n"_s.arg(m_scenario.name)
            .arg(users())
            .arg(spawnRate())
            .arg(runTimeSeconds());
    if (!m_scenario.builtinServer)
        conf += u"host = %1\n"_s.arg(
            m_scenario.url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment)
                .toString());
    return conf.toUtf8();
}

QByteArray LocustExport::locustfile() const
{
    QString text =
        u"\"\"\"Locust file written by Retry Lab %1 from the scenario \"%2\".\n\n"
        "Tested with Locust 2.12.1 (Debian 12's python3-locust, whose empty version is\n"
        "mended below); written for 2.24.0 (Debian 13) as well.\n"
        "Each Locust user is one Retry Lab client; each task run is one operation that\n"
        "retries inside itself as the scenario's policy says, with the Python policy of\n"
        "retrylab_locust (next to this file, or /usr/share/retrylab/locust), proven\n"
        "equal to Retry Lab's own by its parity test. Breaker and retry budget are per\n"
        "user (= per client) as in Retry Lab; a shared one is shared per worker.\n\n"
        "Run a master and two workers from this folder (master.conf holds the load):\n\n"_s.arg(
            QStringLiteral(RETRYLAB_VERSION), m_scenario.name);
    for (const QString &line : commands().split(u'\n', Qt::SkipEmptyParts))
        text += u"    "_s + line + u'\n';
    text += u"\nEvery worker writes its attempts to --retrylab-log-dir (default ./retrylab-logs),\n"
            "one JSON Lines file per process; Locust's statistics show one entry per attempt,\n"
            "named by its outcome.\n\nWhat Locust cannot do as Retry Lab does:\n\n"_s;
    for (const QString &l : limitations())
        text += u"- "_s + l + u'\n';
    text += u"\"\"\"\n\n"
            "import json\nimport os\nimport sys\n\n"
            "HERE = os.path.dirname(os.path.abspath(__file__))\n"
            "sys.path[:0] = [HERE, \"/usr/share/retrylab/locust\"]\n\n"
            "from retrylab_locust import locust_user  # noqa: E402\n\n"
            "locust_user.agree_on_version()\n\n"
            "with open(os.path.join(HERE, \"scenario.json\"), encoding=\"utf-8\") as f:\n"
            "    SCENARIO = json.load(f)\n\n"
            "RetryLabClient = locust_user.client_class(SCENARIO, url=%1, relative=%2)\n"_s.arg(
                pythonString(requestUrl()), m_scenario.builtinServer ? u"True"_s : u"False"_s);
    return text.toUtf8();
}

QStringList LocustExport::write(const QString &dir, QString *error) const
{
    QString local;
    QString &why = error ? *error : local;
    if (!QDir().mkpath(dir)) {
        why = u"%1: cannot create the folder"_s.arg(dir);
        return {};
    }
    const QDir d(dir);
    QList<QPair<QString, QByteArray>> files{
        {u"locustfile.py"_s, locustfile()},
        {u"master.conf"_s, masterConf()},
        {u"scenario.json"_s, QJsonDocument(m_scenario.toJson()).toJson()},
    };
    if (m_scenario.builtinServer)
        files.append({u"profile.json"_s, QJsonDocument(m_scenario.profile.toJson()).toJson()});
    QDirIterator it(QString::fromLatin1(kPackageResource), {u"*.py"_s}, QDir::Files);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            why = u"%1: cannot read the built-in Python package"_s.arg(path);
            return {};
        }
        files.append({u"retrylab_locust/"_s + it.fileName(), f.readAll()});
    }
    if (!d.mkpath(u"retrylab_locust"_s)) {
        why = u"%1: cannot create the folder"_s.arg(d.filePath(u"retrylab_locust"_s));
        return {};
    }
    QStringList written;
    for (const auto &[name, bytes] : files) {
        if (!writeFileAtomically(d.filePath(name), bytes, &why))
            return {};
        written << d.filePath(name);
    }
    return written;
}

} // namespace retrylab
