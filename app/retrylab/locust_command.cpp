// SPDX-License-Identifier: GPL-3.0-or-later
#include "locust_command.h"

#include "export/locust_export.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

#include <cstdio>

using namespace Qt::StringLiterals;

int runExportLocustCommand(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"retrylab"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(RETRYLAB_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Retry Lab: write a scenario as a Locust test (master and workers)."_s);
    parser.addHelpOption();
    const QCommandLineOption exportDir(
        u"export-locust"_s, u"Write locustfile.py and what it needs into DIR."_s, u"DIR"_s);
    const QCommandLineOption scenario(u"scenario"_s, u"The scenario to export."_s, u"FILE"_s);
    const QCommandLineOption host(u"host"_s,
                                  u"The built-in server's URL in the printed commands."_s, u"URL"_s,
                                  u"http://127.0.0.1:8080"_s);
    parser.addOptions({exportDir, scenario, host});
    const auto fail = [](const QString &text) {
        std::fprintf(stderr, "retrylab: %s\n", qUtf8Printable(text));
        return 2;
    };
    if (!parser.parse(QCoreApplication::arguments()))
        return fail(parser.errorText());
    if (parser.isSet(u"help"_s))
        parser.showHelp(0);
    if (!parser.isSet(scenario))
        return fail(u"--export-locust needs --scenario FILE"_s);
    // A ready scenario can be named instead of a file, as with --headless.
    QString file = parser.value(scenario);
    if (!QFileInfo::exists(file) && QFileInfo::exists(u":/scenarios/%1.json"_s.arg(file)))
        file = u":/scenarios/%1.json"_s.arg(file);
    QString error;
    const auto loaded = retrylab::Scenario::load(file, &error);
    if (!loaded)
        return fail(error);
    const retrylab::LocustExport exporter(*loaded);
    const QStringList written = exporter.write(parser.value(exportDir), &error);
    if (written.isEmpty())
        return fail(error);
    std::fprintf(stderr, "retrylab: wrote %s\n", qUtf8Printable(written.join(u", "_s)));
    for (const QString &l : exporter.limitations())
        std::fprintf(stderr, "retrylab: note: %s\n", qUtf8Printable(l));
    std::printf("cd %s\n%s", qUtf8Printable(parser.value(exportDir)),
                qUtf8Printable(exporter.commands(parser.value(host))));
    return 0;
}
