// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless_command.h"
#include "locust_command.h"
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace Qt::StringLiterals;

namespace {

bool haveDisplay()
{
    const auto set = [](const char *name) {
        const char *v = std::getenv(name);
        return v && *v;
    };
    return set("DISPLAY") || set("WAYLAND_DISPLAY") || set("QT_QPA_PLATFORM");
}

bool wants(int argc, char *argv[], std::initializer_list<const char *> flags)
{
    for (int i = 1; i < argc; ++i)
        for (const char *f : flags)
            if (std::strcmp(argv[i], f) == 0)
                return true;
    return false;
}

void describe(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        u"Retry Lab: drive retry policies against endpoints and watch every attempt."_s);
    parser.addHelpOption();
    parser.addVersionOption();
}

} // namespace

int main(int argc, char *argv[])
{
    // The headless mode needs no display and no widgets.
    if (wants(argc, argv, {"--headless"}))
        return runHeadlessCommand(argc, argv);
    if (wants(argc, argv, {"--export-locust"}))
        return runExportLocustCommand(argc, argv);

    // --help and --version must work without a display too.
    if (!haveDisplay() && wants(argc, argv, {"--version", "-v", "--help", "-h"}))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (!haveDisplay()) {
        std::fputs("retrylab: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
                   "  Run it under a virtual display:  xvfb-run -a retrylab\n"
                   "  without a window at all:         QT_QPA_PLATFORM=offscreen retrylab\n"
                   "  or run a scenario headless:      retrylab --headless --scenario FILE\n",
                   stderr);
        return 2;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(u"retrylab"_s);
    QApplication::setApplicationDisplayName(u"Retry Lab"_s);
    QApplication::setOrganizationName(u"Retry Lab"_s);
    QApplication::setApplicationVersion(QStringLiteral(RETRYLAB_VERSION));
    QCommandLineParser parser;
    describe(parser);
    parser.process(app);

    retrylab::MainWindow window;
    window.show();
    return QApplication::exec();
}
