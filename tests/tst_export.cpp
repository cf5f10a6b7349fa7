// SPDX-License-Identifier: GPL-3.0-or-later
// What leaves Retry Lab: CSV, HAR and JSON Lines, written whole, with the phases and with
// secrets redacted (reading JSON Lines back: tst_jsonl_log).
#include "base/atomic_file.h"
#include "export_run.h"
#include "log/csv_export.h"
#include "log/har_export.h"
#include "log/jsonl_log.h"
#include "sim_run.h"

#include <QDir>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

// A small RFC 4180 reader, strict: what a spreadsheet would accept.
QList<QStringList> parseCsv(const QByteArray &bytes, QString *error)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false, inQuotes = false;
    const QString text = QString::fromUtf8(bytes);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (inQuotes) {
            if (c == u'"') {
                if (i + 1 < text.size() && text[i + 1] == u'"') {
                    field += u'"';
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                field += c;
            }
        } else if (c == u'"') {
            if (!field.isEmpty() || quoted) {
                *error = u"quote inside an unquoted field at %1"_s.arg(i);
                return {};
            }
            inQuotes = quoted = true;
        } else if (c == u',') {
            row << field;
            field.clear();
            quoted = false;
        } else if (c == u'\r') {
            if (i + 1 >= text.size() || text[i + 1] != u'\n') {
                *error = u"CR without LF at %1"_s.arg(i);
                return {};
            }
            ++i;
            row << field;
            rows << row;
            row.clear();
            field.clear();
            quoted = false;
        } else if (c == u'\n') {
            *error = u"bare LF at %1"_s.arg(i);
            return {};
        } else {
            field += c;
        }
    }
    if (inQuotes)
        *error = u"unterminated quote"_s;
    return rows;
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Every export goes through one atomic writer: it replaces the file whole, and a failure
    // names the path and the reason and leaves no file behind.
    void filesAreWrittenWholeOrNotAtAll()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"out.csv"_s);
        QString error;
        QVERIFY2(writeFileAtomically(path, "a much longer old content\n", &error),
                 qPrintable(error));
        QVERIFY2(writeFileAtomically(path, "new\n", &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("new\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"out.csv"_s});

        const QString nowhere = dir.filePath(u"missing/out.csv"_s);
        QVERIFY(!writeFileAtomically(nowhere, "x", &error));
        QVERIFY2(error.startsWith(nowhere + u": cannot write: "_s), qPrintable(error));
        QVERIFY2(error.size() > nowhere.size() + 16, qPrintable(error)); // a reason follows
        QVERIFY(!QFile::exists(nowhere));
    }

    void exportNamesAreSafeEverywhere_data()
    {
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("name");
        QTest::addRow("colon") << u"Waits in this run: Full jitter"_s
                               << u"Waits in this run - Full jitter"_s;
        QTest::addRow("slashes") << u"GET /orders\\a"_s << u"GET -orders-a"_s;
        QTest::addRow("shell and windows") << u"a*b?c\"d<e>f|g"_s << u"a-b-c-d-e-f-g"_s;
        QTest::addRow("control") << u"line\nbreak\ttab"_s << u"line-break-tab"_s;
        QTest::addRow("ends") << u" ..:report:.. "_s << u"report"_s;
        QTest::addRow("nothing left") << u"::"_s << u"untitled"_s;
        QTest::addRow("unicode kept") << u"Wartezeit über 2 s"_s << u"Wartezeit über 2 s"_s;
    }
    void exportNamesAreSafeEverywhere()
    {
        QFETCH(QString, title);
        QFETCH(QString, name);
        QCOMPARE(fileNameFromTitle(title), name);
    }
    void slugsAreLowerWithDashes()
    {
        QCOMPARE(slugFromTitle(u"Waits in this run: Full jitter"_s),
                 u"waits-in-this-run-full-jitter"_s);
        QCOMPARE(slugFromTitle(u"GET /orders"_s), u"get-orders"_s);
    }

    void csvFollowsRfc4180()
    {
        SimRun run(payments(), runInfo(payments()));
        const QByteArray csv = attemptsCsv(run.log, Redactor());
        QString error;
        const QList<QStringList> rows = parseCsv(csv, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(std::size_t(rows.size()), run.log.size() + 1); // one header row
        const QStringList header = rows.front();
        QCOMPARE(header.front(), u"client"_s);
        for (const QStringList &row : rows)
            QCOMPARE(row.size(), header.size());
        const qsizetype headersColumn = header.indexOf(u"requestHeaders"_s);
        QVERIFY(rows[1][headersColumn].contains(u'\n')); // a quoted field with line breaks
        QVERIFY(rows[1][headersColumn].contains(u"Accept: application/json"_s));
        QCOMPARE(rows[1][header.indexOf(u"method"_s)], u"POST"_s);
        QCOMPARE(csvRow({u"a,b"_s, u"say \"hi\""_s, u"plain"_s}),
                 QByteArray("\"a,b\",\"say \"\"hi\"\"\",plain\r\n"));
        // Breakers and the journal go beside it.
        QTemporaryDir dir;
        QStringList written;
        QVERIFY(writeCsvExport(run.log, dir.filePath(u"run.csv"_s), Redactor(), &written, &error));
        QCOMPARE(written,
                 QStringList({dir.filePath(u"run.csv"_s), dir.filePath(u"run.breakers.csv"_s),
                              dir.filePath(u"run.server.csv"_s)}));
        QFile server(written.last());
        QVERIFY(server.open(QIODevice::ReadOnly));
        const auto journal = parseCsv(server.readAll(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(std::size_t(journal.size()), run.log.journalSize() + 1);
    }

    void harHasWhatHar12Requires()
    {
        SimRun run(payments(), runInfo(payments()));
        const QJsonObject har = toHar(run.log, Redactor()).object();
        const QJsonObject log = har.value(u"log"_s).toObject();
        QCOMPARE(log.value(u"version"_s).toString(), u"1.2"_s);
        QCOMPARE(log.value(u"creator"_s).toObject().value(u"name"_s).toString(), u"Retry Lab"_s);
        const QJsonArray entries = log.value(u"entries"_s).toArray();
        QCOMPARE(std::size_t(entries.size()), run.log.size());
        for (const QJsonValue &v : entries) {
            const QJsonObject e = v.toObject();
            for (const QString &key : {u"startedDateTime"_s, u"time"_s, u"request"_s, u"response"_s,
                                       u"cache"_s, u"timings"_s})
                QVERIFY2(e.contains(key), qPrintable(key));
            QVERIFY(QDateTime::fromString(e[u"startedDateTime"_s].toString(), Qt::ISODateWithMs)
                        .isValid());
            const QJsonObject req = e[u"request"_s].toObject();
            for (const QString &key :
                 {u"method"_s, u"url"_s, u"httpVersion"_s, u"cookies"_s, u"headers"_s,
                  u"queryString"_s, u"headersSize"_s, u"bodySize"_s})
                QVERIFY2(req.contains(key), qPrintable(u"request."_s + key));
            QCOMPARE(req[u"url"_s].toString(), u"http://127.0.0.1:8080/payments?currency=EUR"_s);
            QCOMPARE(req[u"queryString"_s].toArray().first()[u"value"_s].toString(), u"EUR"_s);
            QCOMPARE(req[u"postData"_s][u"text"_s].toString(),
                     u"{\"amount\": 5, \"currency\": \"EUR\"}"_s);
            const QJsonObject res = e[u"response"_s].toObject();
            for (const QString &key :
                 {u"status"_s, u"statusText"_s, u"httpVersion"_s, u"cookies"_s, u"headers"_s,
                  u"content"_s, u"redirectURL"_s, u"headersSize"_s, u"bodySize"_s})
                QVERIFY2(res.contains(key), qPrintable(u"response."_s + key));
            QVERIFY(res[u"content"_s].toObject().contains(u"mimeType"_s));
            const QJsonObject timings = e[u"timings"_s].toObject();
            for (const QString &key : {u"send"_s, u"wait"_s, u"receive"_s})
                QVERIFY(timings[key].isDouble());
            QVERIFY(e[u"_retrylab"_s].toObject().contains(u"attempt"_s));
        }
        // Attempts that never went out are there too, marked.
        bool refused = false;
        for (const QJsonValue &v : entries)
            refused = refused || !v[u"_retrylab"_s][u"sent"_s].toBool();
        QVERIFY(refused);
    }

    // Phase timings travel in microseconds and leave as milliseconds with three decimals: in
    // JSON Lines (and back), CSV, and HAR, where what did not happen is -1 and ssl is also in
    // connect. The client's lag after the last byte goes with them, and HAR's time ends
    // before it, with the timings it sums.
    void phaseTimingsInEveryExport()
    {
        AttemptLog log;
        log.setRunInfo(runInfo(payments()));
        AttemptRecord fresh;
        fresh.method = log.intern(u"GET"_s);
        fresh.url = log.intern(u"/a"_s);
        fresh.startedUs = 1000;
        fresh.finishedUs = 9000;
        fresh.status = 200;
        fresh.phases = {-1, 12, 345, 2001, 7, 4321, 5, 250, false};
        fresh.responseBytes = 1234;
        AttemptRecord reused = fresh;
        reused.operation = 1;
        reused.phases = {250, -1, -1, -1, 6, 1500, 4, -1, true};
        AttemptRecord simulated = fresh; // no phases known
        simulated.operation = 2;
        simulated.phases = {};
        simulated.responseBytes = -1;
        log.append(fresh);
        log.append(reused);
        log.append(simulated);

        const QJsonObject j = attemptToJson(fresh, log);
        const QJsonObject t = j[u"timings"_s].toObject();
        QCOMPARE(t[u"dnsMs"_s].toDouble(), 0.012);
        QCOMPARE(t[u"connectMs"_s].toDouble(), 0.345);
        QCOMPARE(t[u"tlsMs"_s].toDouble(), 2.001);
        QCOMPARE(t[u"waitMs"_s].toDouble(), 4.321);
        QCOMPARE(t[u"lagMs"_s].toDouble(), 0.25);
        QVERIFY(!t.contains(u"blockedMs"_s));
        QCOMPARE(t[u"reused"_s].toBool(), false);
        QCOMPARE(j[u"responseBytes"_s].toInteger(), 1234);
        QVERIFY(!attemptToJson(simulated, log).contains(u"timings"_s));
        QTemporaryDir dir;
        const QString file = dir.filePath(u"t.jsonl"_s);
        QString error;
        QVERIFY2(JsonlLogWriter::write(log, file, Redactor::none(), &error), qPrintable(error));
        AttemptLog back;
        QVERIFY(readJsonlLog(file, back).ok);
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(back.at(i).phases, log.at(i).phases);
            QCOMPARE(back.at(i).responseBytes, log.at(i).responseBytes);
        }

        const QList<QStringList> rows = parseCsv(attemptsCsv(log, Redactor::none()), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QStringList head = rows.front();
        const auto cell = [&](int row, const QString &column) {
            return rows[row][head.indexOf(column)];
        };
        QCOMPARE(cell(1, u"dnsMs"_s), u"0.012"_s);
        QCOMPARE(cell(1, u"tlsMs"_s), u"2.001"_s);
        QCOMPARE(cell(1, u"blockedMs"_s), QString());
        QCOMPARE(cell(1, u"connectionReused"_s), u"false"_s);
        QCOMPARE(cell(2, u"blockedMs"_s), u"0.250"_s);
        QCOMPARE(cell(2, u"connectionReused"_s), u"true"_s);
        QCOMPARE(cell(2, u"connectMs"_s), QString());
        QCOMPARE(cell(3, u"waitMs"_s), QString());
        QCOMPARE(cell(1, u"responseBytes"_s), u"1234"_s);
        QCOMPARE(cell(1, u"clientLagMs"_s), u"0.250"_s);
        QCOMPARE(cell(2, u"clientLagMs"_s), QString());

        const QJsonArray entries = toHar(log, Redactor::none())[u"log"_s][u"entries"_s].toArray();
        const QJsonObject h0 = entries[0][u"timings"_s].toObject();
        QCOMPARE(h0[u"blocked"_s].toDouble(), -1.0);
        QCOMPARE(h0[u"dns"_s].toDouble(), 0.012);
        QCOMPARE(h0[u"connect"_s].toDouble(), 2.346); // TCP and TLS: HAR counts ssl in connect
        QCOMPARE(h0[u"ssl"_s].toDouble(), 2.001);
        QCOMPARE(h0[u"send"_s].toDouble(), 0.007);
        QCOMPARE(h0[u"wait"_s].toDouble(), 4.321);
        QCOMPARE(h0[u"receive"_s].toDouble(), 0.005);
        QCOMPARE(h0[u"_clientLag"_s].toDouble(), 0.25);
        QCOMPARE(entries[0][u"time"_s].toDouble(), 7.75); // 1 ms to 9 ms, less the lag
        QCOMPARE(entries[0][u"response"_s][u"bodySize"_s].toInteger(), 1234);
        const QJsonObject h1 = entries[1][u"timings"_s].toObject();
        QCOMPARE(h1[u"connect"_s].toDouble(), -1.0);
        QCOMPARE(h1[u"ssl"_s].toDouble(), -1.0);
        QCOMPARE(h1[u"dns"_s].toDouble(), -1.0);
        QCOMPARE(h1[u"blocked"_s].toDouble(), 0.25);
        QVERIFY(!h1.contains(u"_clientLag"_s));
        QCOMPARE(entries[1][u"_retrylab"_s][u"connectionReused"_s].toBool(), true);
        QCOMPARE(entries[2][u"timings"_s][u"wait"_s].toDouble(), 8.0); // the whole attempt
    }

    void secretsAreRedactedEverywhere()
    {
        SimRun run(payments(), runInfo(payments()));
        const Redactor redactor({u"X-Api-Key"_s});
        const QByteArray csv = attemptsCsv(run.log, redactor);
        const QByteArray har = toHar(run.log, redactor).toJson();
        const QByteArray jsonl =
            QJsonDocument(attemptToJson(run.log.at(0), run.log, 1, redactor)).toJson();
        for (const QByteArray &out : {csv, har, jsonl}) {
            QVERIFY(!out.contains("s3cret"));
            QVERIFY(!out.contains("k-123"));
            QVERIFY(out.contains("[redacted]"));
            QVERIFY(out.contains("application/json")); // other headers stay
        }
        // By default only the usual secrets; turned off, nothing.
        QVERIFY(attemptsCsv(run.log, Redactor()).contains("k-123"));
        QVERIFY(!attemptsCsv(run.log, Redactor()).contains("s3cret"));
        QVERIFY(attemptsCsv(run.log, Redactor::none()).contains("s3cret"));
        QVERIFY(Redactor().isSecret("set-cookie"));
        QVERIFY(Redactor().isSecret("Proxy-Authorization"));
    }
};

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
