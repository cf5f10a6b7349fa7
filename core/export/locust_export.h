// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/scenario.h"

#include <QStringList>

namespace retrylab {

// A scenario as a Locust test: locustfile.py, the scenario it reads, a master.conf with the
// load, and the Python policy package (resources/locust/retrylab_locust, the very module the
// package installs under /usr/share/retrylab/locust) so the folder runs anywhere as it is.
// Each Locust user is one client; each task run is one operation that retries inside itself.
class LocustExport
{
public:
    explicit LocustExport(Scenario scenario);

    // What Locust cannot do as Retry Lab does, for the top of locustfile.py and the window.
    QStringList limitations() const;
    // Users, spawn rate and run time as Locust takes them.
    int users() const;
    double spawnRate() const;
    int runTimeSeconds() const;
    // The request URL, or its path when the target is the built-in server (Locust's --host
    // goes before it).
    QString requestUrl() const;
    bool needsHost() const { return m_scenario.builtinServer; }

    // The commands a team types, from the folder: the built-in server (when the scenario
    // uses it), a master and two workers, the merge.
    QString commands(const QString &host = QStringLiteral("http://127.0.0.1:8080")) const;

    QByteArray locustfile() const;
    QByteArray masterConf() const; // Locust's --config for the master

    // Writes every file into `dir` (created if needed), each atomically. Returns the paths
    // written, or an empty list and says why.
    QStringList write(const QString &dir, QString *error) const;

private:
    Scenario m_scenario;
};

} // namespace retrylab
