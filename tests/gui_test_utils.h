// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>
#include <QWidget>

// Settings of the test's own, empty at the start of each run: under QStandardPaths' test
// location (never the developer's ~/.config), and cleared, so a window state saved by an older
// build or an earlier run (toolbars on one row, a wider dock) cannot change what the test sees.
// Test functions in one run still share them, as a person's sessions would.
inline void useFreshSettings(const QString &applicationName)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RetryLabTests"));
    QCoreApplication::setApplicationName(applicationName);
    QSettings().clear();
}

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
