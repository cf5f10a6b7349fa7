// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/run_summary.h"

#include <QObject>
#include <QString>

class QMenu;
class QToolBar;

namespace retrylab {

class MainWindow;

// The four stories Retry Lab exists to tell, one click each. A demo opens its ready scenario,
// switches the clock to simulated time (a fixed seed on a virtual clock gives the same numbers
// on every run, in well under a second), shows the page where the story is visible, runs, and
// then says in one line the numbers that make the point. GUI thread only.
class DemoRunner : public QObject
{
    Q_OBJECT
public:
    enum class Demo { ThunderingHerd, DuplicateCharges, BreakerTrip, RetryAfter };
    struct Info {
        Demo demo;
        QString id;    // for object names and tests: "herd", "duplicates", ...
        QString title; // the button's text
        QString tip;   // what the person is about to see
    };
    static QList<Info> all();

    explicit DemoRunner(MainWindow *window);

    // One action per demo (object name "demo-<id>"), in the menu and on the toolbar.
    void addTo(QMenu *menu, QToolBar *bar);
    void start(Demo demo);
    bool isRunning() const { return m_running; }
    // The last finished demo's point, as plain numbers (also in finished()).
    QString headline() const { return m_headline; }
    // The summaries the headline was made from, in the order the headline names them.
    QList<RunSummary> summaries() const { return m_summaries; }

Q_SIGNALS:
    void started(const QString &title, const QString &whatToWatch);
    void finished(const QString &headline);

private:
    bool open(const QString &path);
    void startSingleRun(const QString &scenario);
    void runFinished(const RunSummary &summary);
    void comparisonFinished();
    void finish(const QString &headline);
    QString herdHeadline() const;
    QString retryAfterHeadline() const;
    QString breakerHeadline(const RunSummary &s) const;

    MainWindow *m_window;
    Demo m_demo = Demo::ThunderingHerd;
    bool m_running = false;
    QList<RunSummary> m_summaries;
    QString m_headline;
};

} // namespace retrylab
