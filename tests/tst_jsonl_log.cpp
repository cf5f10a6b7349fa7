// SPDX-License-Identifier: GPL-3.0-or-later
// The JSON Lines log: every record written and read back, and what a bad, hostile or
// cut-short file gets.
#include "analysis/summary_tally.h"
#include "export_run.h"
#include "log/attempt_fields.h"
#include "log/jsonl_log.h"
#include "log/run_summary.h"
#include "sim_run.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

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
