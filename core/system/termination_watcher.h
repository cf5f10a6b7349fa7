// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QSocketNotifier;

namespace retrylab {

// Turns SIGINT and SIGTERM into a Qt signal on the event loop (the self-pipe trick), so a
// program can stop cleanly: finish writing, close sockets, then quit. While it lives, SIGXFSZ
// is ignored, so that a file-size limit is a write error the program reports.
class TerminationWatcher : public QObject
{
    Q_OBJECT
public:
    explicit TerminationWatcher(QObject *parent = nullptr);
    ~TerminationWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace retrylab
