// SPDX-License-Identifier: GPL-3.0-or-later
// The JSON Lines log: every record written and read back, and what a bad, hostile or
// cut-short file gets.
#include "analysis/summary_tally.h"
#include "export_run.h"
#include "json/json_line.h"
#include "log/attempt_fields.h"
#include "log/jsonl_log.h"
#include "log/run_summary.h"
#include "sim_run.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(retrylab::JournalEntry)

class TestJsonlLog : public QObject
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

    // The log's own JSON writer: what it writes, QJsonDocument reads back the same.
    void jsonWriterEscapesAndCountsExactly_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addRow("plain") << u"GET /items"_s;
        QTest::addRow("quotes and backslash") << u"say \"hi\" \\ C:\\x"_s;
        QTest::addRow("controls") << QString::fromLatin1("\b\f\n\r\t\x01\x1f end");
        QTest::addRow("non-ASCII") << u"caf\u00e9 \u20ac \U0001F600"_s;
        QTest::addRow("lone surrogate") << QString(QChar(0xd800)) + u"x"_s;
        QTest::addRow("empty") << QString();
    }
    void jsonWriterEscapesAndCountsExactly()
    {
        QFETCH(QString, text);
        QByteArray out;
        JsonWriter w(out);
        const QByteArray latin1 = "ol\xe9 \"x\"\n";
        w.beginObject().key("s").value(text).key("l").latin1(latin1).key("ms").beginArray();
        const qint64 us[] = {0, 1, 10, 1000, 18459, 18450, -1500, 123456789012, -1};
        for (const qint64 v : us)
            w.millis(v);
        w.endArray().key("n").value(qint64(-42)).key("b").value(false).endObject();
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(out, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, out.constData());
        // A lone surrogate comes back as toUtf8 writes it.
        const QString expected = QString::fromUtf8(text.toUtf8());
        QCOMPARE(o.value(u"s"_s).toString(), expected);
        QCOMPARE(o.value(u"l"_s).toString(), QString::fromLatin1(latin1));
        const QJsonArray ms = o.value(u"ms"_s).toArray();
        QCOMPARE(ms.size(), qsizetype(std::size(us)));
        for (qsizetype i = 0; i < ms.size(); ++i)
            QCOMPARE(qRound64(ms[i].toDouble() * 1000), us[i]);
        QVERIFY(out.contains("\"ms\":[0,0.001,0.01,1,18.459,18.45,-1.5,123456789.012,-0.001]"));
        QCOMPARE(o.value(u"n"_s).toInteger(), -42);
        QCOMPARE(o.value(u"b"_s), QJsonValue(false));
    }

    // The server's lines are written directly (JournalEntry::appendJsonLine); each is the line
    // QJsonDocument made of JournalEntry::toJson() before, byte for byte, and reads back as the
    // same entry.
    void serverLinesAsQJsonDocumentWroteThem_data()
    {
        QTest::addColumn<JournalEntry>("entry");
        JournalEntry bare;
        bare.id = 1;
        QTest::newRow("bare") << bare;
        JournalEntry full;
        full.id = 123456789012;
        full.at = 18459us;
        full.wallTime = QDateTime(QDate(2026, 12, 1), QTime(17, 19, 9, 7), QTimeZone::utc());
        full.method = u"POST"_s;
        full.path = u"/payments?x=\"\u00e9\t\x01"_s;
        full.clientId = u"17"_s;
        full.attempt = 3;
        full.idempotencyKey = u"k-\u4e2d"_s;
        full.chainClient = u"17"_s;
        full.chainOperation = u"17-0"_s;
        full.chainAttempt = 2;
        full.chainBy = u"headers"_s;
        full.decision = u"fail-first"_s;
        full.status = 503;
        full.askedWait = 1000000us;
        full.allowedBackAt = 1018459us;
        full.earlyBy = 10us;
        full.latency = 120us;
        full.duplicateEffect = true;
        QTest::newRow("every field") << full;
        JournalEntry round = full;
        round.at = 7000us; // whole milliseconds: no decimals, as QJsonDocument writes 7
        round.latency = 0us;
        round.earlyBy = -2500us;
        round.chainClient.clear();
        QTest::newRow("round and negative") << round;
    }
    void serverLinesAsQJsonDocumentWroteThem()
    {
        QFETCH(JournalEntry, entry);
        QJsonObject o = entry.toJson();
        o.insert(u"kind"_s, u"server"_s);
        const QByteArray before = QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
        QByteArray line;
        entry.appendJsonLine(line, "server");
        QCOMPARE(line, before);
        const JournalEntry back = JournalEntry::fromJson(QJsonDocument::fromJson(line).object());
        QCOMPARE(back.toJson(), entry.toJson());
        // Without a kind, as the admin API's journal in JSON Lines serves it.
        QByteArray plain;
        entry.appendJsonLine(plain);
        QCOMPARE(plain, QJsonDocument(entry.toJson()).toJson(QJsonDocument::Compact) + '\n');
    }

    // The streamed log writes repeated header blocks from a cache: its lines are the lines
    // written without one, secrets redacted by any spelling, across blocks sharing a slot.
    void cachedHeaderBlocksWriteTheSameLines()
    {
        AttemptLog log;
        const Redactor redactor({u"X-Api-Key"_s});
        std::vector<std::uint32_t> blocks;
        for (int i = 0; i < 150; ++i) // more than the cache's slots: indexes share them
            blocks.push_back(log.intern(u"Accept: */*\nx-API-key: k%1\nAUTHORIZATION: Bearer t%1\n"
                                        u"X-Note: caf\u00e9 %1"_s.arg(i)));
        for (std::uint32_t n = 0; n < 600; ++n) {
            AttemptRecord r;
            r.client = n % 7;
            r.operation = n;
            r.attempt = 1 + n % 3;
            r.method = log.intern(u"POST"_s);
            r.url = log.intern(u"http://127.0.0.1:1/pay"_s);
            r.idempotencyKey = n % 2 ? log.intern(u"key-%1"_s.arg(n)) : 0;
            r.requestHeaders = blocks[(n * 37) % blocks.size()];
            r.responseHeaders = n % 5 ? blocks[(n * 11) % blocks.size()] : 0;
            r.status = 200;
            log.append(r);
        }
        QTemporaryDir dir;
        const QString file = dir.filePath(u"log.jsonl"_s);
        QString error;
        QVERIFY2(JsonlLogWriter::write(log, file, redactor, &error), qPrintable(error));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QCOMPARE(lines.size(), 601); // and an empty one after the last newline
        std::size_t i = 0;
        log.forEach([&](const AttemptRecord &r) {
            QByteArray uncached;
            appendAttemptLine(uncached, r, log, 1, redactor);
            QCOMPARE(lines[qsizetype(i)] + '\n', uncached);
            ++i;
        });
        const QJsonObject first = QJsonDocument::fromJson(lines[0]).object();
        const QJsonArray sent = first.value(u"requestHeaders"_s).toArray();
        QCOMPARE(sent.at(1).toObject().value(u"value"_s).toString(), u"[redacted]"_s);
        QCOMPARE(sent.at(2).toObject().value(u"value"_s).toString(), u"[redacted]"_s);
        QCOMPARE(sent.at(3).toObject().value(u"value"_s).toString(), u"caf\u00e9 0"_s);
        QCOMPARE(sent.at(4).toObject().value(u"name"_s).toString(), u"X-Client-Id"_s);
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

        // The server's journal lines too (found by fuzz_jsonl: found-huge-journal-time).
        AttemptLog journal;
        r = readJsonlLog("{\"kind\":\"server\",\"id\":1,\"atMs\":1e300,\"latencyMs\":-1e300,"
                         "\"earlyByMs\":1e20,\"status\":200}\n"_ba,
                         journal, u"journal.jsonl"_s);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(journal.journalSize(), std::size_t(1));
        const JournalEntry e = journal.journalRecords().front();
        QCOMPARE(e.at, kMaxDuration);
        QCOMPARE(e.latency, -kMaxDuration);
        QCOMPARE(e.earlyBy, std::optional<Duration>(kMaxDuration));
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
};

QTEST_GUILESS_MAIN(TestJsonlLog)
#include "tst_jsonl_log.moc"
