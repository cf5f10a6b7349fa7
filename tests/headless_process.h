// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// `retrylab --headless` as a separate process, for tst_headless and tst_headless_stops: run it
// to the end, hand it a scenario file, read back the JSON it wrote.
#include "scenario/scenario.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

inline QString binary()
{
    return QStringLiteral(RETRYLAB_BIN);
}

struct Result {
    int exitCode = -1;
    QString out;
    QString err;
};

inline Result run(const QStringList &args, int timeoutMs = 60000)
{
    QProcess p;
    p.start(binary(), args);
    Result r;
    if (!p.waitForFinished(timeoutMs))
        return r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

inline QString saveScenario(const QTemporaryDir &dir, const QString &name,
                            const retrylab::Scenario &s)
{
    const QString file = dir.filePath(name);
    QString error;
    return s.save(file, &error) ? file : QString();
}

inline retrylab::Scenario ready(const QString &name)
{
    QString error;
    return *retrylab::Scenario::load(QStringLiteral(":/scenarios/%1.json").arg(name), &error);
}

inline QJsonObject readJson(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object()
                                       : QJsonObject();
}
