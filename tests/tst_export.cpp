// SPDX-License-Identifier: GPL-3.0-or-later
// What leaves Retry Lab: JSON Lines (and back), CSV, HAR, with secrets redacted.
#include "analysis/summary_tally.h"
#include "base/atomic_file.h"
#include "log/csv_export.h"
#include "log/har_export.h"
#include "log/attempt_fields.h"
#include "log/jsonl_log.h"
#include "log/run_summary.h"
#include "sim_run.h"

#include <QDir>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

Scenario payments()
{
    Scenario s;
    s.name = u"export"_s;
    s.simulated = true;
    s.clients = 5;
    s.operationsPerClient = 10;
    s.method = "POST";
    s.path = u"/payments?currency=EUR"_s;
    s.body = R"({"amount": 5, "currency": "EUR"})"; // what the server accepts
    s.headers = {
        {"Authorization", "Bearer s3cret"}, {"X-Api-Key", "k-123"}, {"Accept", "application/json"}};
    s.keys = KeyMode::PerOperation;
    s.profile = *FaultProfile::ready(u"payments-lossy"_s);
    s.policy.breaker.enabled = true;
    s.policy.breaker.consecutiveFailures = 1;
    s.policy.breaker.openDuration = 100ms;
    s.sharedBreaker = true; // one breaker that trips now and then: refusals in the log
    s.seed = 21;
    return s;
}

// A fixed target and start, so the HAR's URLs and dates are known.
AttemptLog::RunInfo runInfo(const Scenario &s)
{
    return {s.toJson(), QUrl(u"http://127.0.0.1:8080/"_s),
            QDateTime(QDate(2026, 11, 29), QTime(10, 0), QTimeZone::utc())};
}

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
    void jsonlRoundTripsEveryRecord()
    {
        SimRun run(payments(), runInfo(payments()));
        QTemporaryDir dir;
        const QString file = dir.filePath(u"log.jsonl"_s);
        QString error;
        QVERIFY2(JsonlLogWriter::write(run.log, file, Redactor::none(), &error), qPrintable(error));
        AttemptLog back;
        const JsonlReadResult read = readJsonlLog(file, back);
        QVERIFY2(read.ok, qPrintable(read.error));
        QCOMPARE(back.size(), run.log.size());
        for (std::size_t i = 0; i < run.log.size(); ++i) {
            const AttemptRecord a = run.log.at(i);
            const AttemptRecord b = back.at(i);
            QCOMPARE(attemptToJson(b, back), attemptToJson(a, run.log));
            QCOMPARE(b.startedUs, a.startedUs);
            QCOMPARE(b.outcome, a.outcome);
            QCOMPARE(b.stop, a.stop);
            QCOMPARE(b.lastOfOperation, a.lastOfOperation);
            QCOMPARE(requestHeadersOf(b, back), requestHeadersOf(a, run.log));
        }
        QCOMPARE(back.breakerCount(), run.log.breakerCount());
        QVERIFY2(run.log.breakerCount() > 0, qPrintable(SummaryTally::of(run.log).toText()));
        QCOMPARE(back.journalSize(), run.log.journalSize());
        QCOMPARE(back.runInfo().scenario, run.log.runInfo().scenario);
        QCOMPARE(back.runInfo().startedAt, run.log.runInfo().startedAt);
        // The summary of the read-back log is the summary of the run.
        QCOMPARE(SummaryTally::of(back).toJson(), SummaryTally::of(run.log).toJson());
    }

    void badJsonlLinesAreNamed()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath(u"bad.jsonl"_s));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"kind\":\"attempt\",\"client\":0,\"operation\":0,\"attempt\":1,\"startedMs\":0,"
                "\"finishedMs\":1,\"outcome\":\"success\"}\n"
                "{\"kind\":\"attempt\",\"client\":0,\"operation\":1,\"attempt\":1,\"startedMs\":2,"
                "\"finishedMs\":3,\"outcome\":\"sucess\"}\n");
        f.close();
        AttemptLog log;
        const JsonlReadResult r = readJsonlLog(f.fileName(), log);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(u"line 2: outcome: 'sucess' is not a known value"_s),
                 qPrintable(r.error));
        QCOMPARE(log.size(), std::size_t(0)); // nothing half-read
    }

    // Found by tests/fuzz/fuzz_jsonl: a time of 1e108 ms was rounded into a qint64 (undefined
    // behaviour; UBSan stops on it), and a status of 99999 wrapped around in 16 bits.
    void hostileNumbersInJsonl()
    {
        const QByteArray line = "{\"kind\":\"attempt\",\"client\":0,\"operation\":0,\"attempt\":1,"
                                "\"startedMs\":0,\"finishedMs\":1e300,\"retryAfterMs\":-1e108,"
                                "\"status\":503,\"outcome\":\"server-error\"}\n";
        AttemptLog log;
        JsonlReadResult r = readJsonlLog(line, log, u"huge.jsonl"_s);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(log.at(0).finishedUs, kMaxDuration.count());
        QCOMPARE(log.at(0).retryAfterUs, -kMaxDuration.count());

        AttemptLog wrapped;
        QByteArray bad = line;
        bad.replace("\"status\":503", "\"status\":99999");
        r = readJsonlLog(bad, wrapped, u"status.jsonl"_s);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(u"status.jsonl, line 1: status: must be an HTTP status code"_s),
                 qPrintable(r.error));
        QCOMPARE(wrapped.size(), std::size_t(0));
    }

    void aLastLineCutShortIsSkipped()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath(u"cut.jsonl"_s));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"kind\":\"attempt\",\"client\":0,\"operation\":0,\"attempt\":1,\"startedMs\":0,"
                "\"finishedMs\":1,\"outcome\":\"success\",\"stop\":\"succeeded\"}\n"
                "{\"kind\":\"attempt\",\"client\":0,\"oper");
        f.close();
        AttemptLog log;
        const JsonlReadResult r = readJsonlLog(f.fileName(), log);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.truncatedLines, 1);
        QCOMPARE(log.size(), std::size_t(1));
    }

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
    // connect.
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
        fresh.phases = {-1, 12, 345, 2001, 7, 4321, 5, false};
        fresh.responseBytes = 1234;
        AttemptRecord reused = fresh;
        reused.operation = 1;
        reused.phases = {250, -1, -1, -1, 6, 1500, 4, true};
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

        const QJsonArray entries = toHar(log, Redactor::none())[u"log"_s][u"entries"_s].toArray();
        const QJsonObject h0 = entries[0][u"timings"_s].toObject();
        QCOMPARE(h0[u"blocked"_s].toDouble(), -1.0);
        QCOMPARE(h0[u"dns"_s].toDouble(), 0.012);
        QCOMPARE(h0[u"connect"_s].toDouble(), 2.346); // TCP and TLS: HAR counts ssl in connect
        QCOMPARE(h0[u"ssl"_s].toDouble(), 2.001);
        QCOMPARE(h0[u"send"_s].toDouble(), 0.007);
        QCOMPARE(h0[u"wait"_s].toDouble(), 4.321);
        QCOMPARE(h0[u"receive"_s].toDouble(), 0.005);
        QCOMPARE(entries[0][u"response"_s][u"bodySize"_s].toInteger(), 1234);
        const QJsonObject h1 = entries[1][u"timings"_s].toObject();
        QCOMPARE(h1[u"connect"_s].toDouble(), -1.0);
        QCOMPARE(h1[u"ssl"_s].toDouble(), -1.0);
        QCOMPARE(h1[u"dns"_s].toDouble(), -1.0);
        QCOMPARE(h1[u"blocked"_s].toDouble(), 0.25);
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
