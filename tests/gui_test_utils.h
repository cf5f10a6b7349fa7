// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QDir>
#include <QWidget>

// Where tests leave screenshots for a person to look at: the build tree's test-output folder.
inline QString saveScreenshot(QWidget *w, const QString &name)
{
    const QString dir = qEnvironmentVariable("RETRYLAB_TEST_OUTPUT", QDir::tempPath());
    QDir().mkpath(dir);
    const QString path = dir + QLatin1Char('/') + name + QLatin1String(".png");
    // Let pending layout requests settle, as the event loop would before painting; a few turns,
    // since one layout may ask for another (the breaker page's charts align after theirs).
    for (int turn = 0; turn < 3; ++turn) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
    w->grab().save(path);
    return path;
}
