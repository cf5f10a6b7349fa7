// SPDX-License-Identifier: GPL-3.0-or-later
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace {

// QApplication aborts with an obscure platform-plugin message when there is no display; say
// what to do instead.
bool haveDisplay()
{
    const auto set = [](const char *name) {
        const char *v = std::getenv(name);
        return v && *v;
    };
    return set("DISPLAY") || set("WAYLAND_DISPLAY") || set("QT_QPA_PLATFORM");
}

} // namespace

int main(int argc, char *argv[])
{
    // --help and --version must work without a display, so parse before QApplication.
    if (!haveDisplay()) {
        for (int i = 1; i < argc; ++i) {
            const QByteArray arg(argv[i]);
            if (arg == "--version" || arg == "-v" || arg == "--help" || arg == "-h")
                qputenv("QT_QPA_PLATFORM", "offscreen");
        }
    }
    if (!haveDisplay()) {
        std::fputs("retrylab: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
                   "  Run it under a virtual display:  xvfb-run -a retrylab\n"
                   "  or without a window at all:      QT_QPA_PLATFORM=offscreen retrylab\n",
                   stderr);
        return 2;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(u"retrylab"_s);
    QApplication::setApplicationDisplayName(u"Retry Lab"_s);
    QApplication::setOrganizationName(u"Retry Lab"_s);
    QApplication::setApplicationVersion(QStringLiteral(RETRYLAB_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Retry Lab: drive retry policies against endpoints and watch every attempt."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    retrylab::MainWindow window;
    window.show();
    return QApplication::exec();
}
