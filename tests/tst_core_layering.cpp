// SPDX-License-Identifier: GPL-3.0-or-later
// core/README.md: core/ never includes QtGui or QtWidgets, only ui/charts/ includes Qt Charts,
// and a folder of core/ includes only folders below it in the order written there.
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

class TestCoreLayering : public QObject
{
    Q_OBJECT
private:
    static QStringList offenders(const QString &folder, const QRegularExpression &pattern)
    {
        QStringList out;
        QDirIterator it(folder, {u"*.h"_s, u"*.cpp"_s}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                continue;
            const QString text = QString::fromUtf8(f.readAll());
            const auto m = pattern.match(text);
            if (m.hasMatch())
                out << path + u": "_s + m.captured(0);
        }
        return out;
    }

private Q_SLOTS:
    void coreIsGuiFree()
    {
        static const QRegularExpression gui(
            u"#\\s*include\\s*[<\"](QtGui|QtWidgets|QtCharts|QtSvg|QWidget|QPainter|QColor|QImage|"
            "QPixmap|QIcon|QFont|QApplication|QGuiApplication)\\b[^>\"]*[>\"]"_s);
        const QString core = QStringLiteral(RETRYLAB_SOURCE_DIR) + u"/core"_s;
        QVERIFY(QDir(core).exists());
        const QStringList bad = offenders(core, gui);
        QVERIFY2(bad.isEmpty(), qPrintable(bad.join(u'\n')));
    }
    void coreFoldersIncludeOnlyLowerOnes()
    {
        // The order of core/README.md, lowest first.
        static const QStringList order = {u"base"_s,     u"system"_s, u"http"_s,      u"json"_s,
                                          u"policy"_s,   u"mock"_s,   u"log"_s,       u"scenario"_s,
                                          u"analysis"_s, u"engine"_s, u"transport"_s, u"export"_s,
                                          u"run"_s};
        static const QRegularExpression include(u"#\\s*include\\s*\"([a-z_]+)/"_s);
        const QString core = QStringLiteral(RETRYLAB_SOURCE_DIR) + u"/core/"_s;
        QStringList bad;
        QDirIterator it(core, {u"*.h"_s, u"*.cpp"_s}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QString folder = path.mid(core.size()).section(u'/', 0, 0);
            const auto own = order.indexOf(folder);
            if (own < 0) {
                bad << path + u": core/"_s + folder + u" is not in core/README.md's order"_s;
                continue;
            }
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            auto matches = include.globalMatch(QString::fromUtf8(f.readAll()));
            while (matches.hasNext()) {
                const QString target = matches.next().captured(1);
                const auto rank = order.indexOf(target);
                if (rank > own)
                    bad << path + u" includes "_s + target + u"/, a higher folder"_s;
            }
        }
        QVERIFY2(bad.isEmpty(), qPrintable(bad.join(u'\n')));
    }
    void chartsOnlyInUiCharts()
    {
        static const QRegularExpression charts(
            u"#\\s*include\\s*[<\"](QtCharts|QChart\\w*)[^>\"]*[>\"]"_s);
        QStringList bad;
        for (const auto *folder : {u"/core", u"/app", u"/ui", u"/tests"}) {
            for (const QString &hit : offenders(
                     QStringLiteral(RETRYLAB_SOURCE_DIR) + QString::fromUtf16(folder), charts))
                if (!hit.contains(u"/ui/charts/"_s))
                    bad << hit;
        }
        QVERIFY2(bad.isEmpty(), qPrintable(bad.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestCoreLayering)
#include "tst_core_layering.moc"
