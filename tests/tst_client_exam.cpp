// SPDX-License-Identifier: GPL-3.0-or-later
// Real clients that Debian ships sit the exam (resources/profiles/exam.json) against a real
// retrylab-mock on 127.0.0.1, and the report card (GET /__admin/grades) must describe the
// retry behaviour their documentation promises. Each client gets its own server.
#include "exam_server.h"
#include "policy/policy_snippet.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace retrylab;

using namespace exam;

class TestClientExam : public QObject
{
    Q_OBJECT
private:
    // CI runs installer/install-deps.sh first: there a missing client is a fault.
    static bool require(bool present, const char *what)
    {
        if (present)
            return true;
        const QByteArray why =
            QByteArray(what) + " is missing (installer/install-deps.sh installs it)";
        if (qEnvironmentVariableIsSet("CI"))
            QTest::qFail(why.constData(), __FILE__, __LINE__);
        else
            QTest::qSkip(why.constData(), __FILE__, __LINE__);
        return false;
    }

private Q_SLOTS:
    // curl's manual (--retry): "When curl is about to retry a transfer, it will first wait one
    // second and then for all forthcoming retries it will double the waiting time until it
    // reaches 10 minutes"; transient means "a timeout, an FTP 4xx response code or an HTTP
    // 408, 429, 500, 502, 503 or 504 response code"; "Since curl 7.66.0, curl will comply with
    // the Retry-After: response header". A reset is not transient: curl stops on it unless
    // --retry-all-errors ("Retry on any error", which with --fail retries a 404 too).
    void curlRetry()
    {
        if (!require(QFile::exists(u"/usr/bin/curl"_s), "/usr/bin/curl"))
            return;
        ExamServer exam;
        QVERIFY(exam.isUp());
        const QStringList quiet{u"-s"_s, u"-o"_s, QDir::temp().filePath(u"retrylab-curl.out"_s)};
        run(u"/usr/bin/curl"_s,
            quiet + QStringList{u"--retry"_s, u"3"_s, exam.url() + u"exam/backoff"_s});
        run(u"/usr/bin/curl"_s, quiet + QStringList{u"--retry"_s, u"3"_s, exam.url() + u"thing"_s});
        run(u"/usr/bin/curl"_s,
            quiet + QStringList{u"--retry"_s, u"3"_s, exam.url() + u"exam/missing"_s});
        run(u"/usr/bin/curl"_s,
            quiet + QStringList{u"--retry"_s, u"3"_s, exam.url() + u"exam/reset"_s});
        // The same curl with --retry-all-errors (another User-Agent, so another client).
        const QStringList all =
            quiet + QStringList{u"-A"_s, u"curl-all-errors"_s, u"--retry-all-errors"_s};
        run(u"/usr/bin/curl"_s,
            all + QStringList{u"--retry"_s, u"2"_s, exam.url() + u"exam/reset"_s});
        run(u"/usr/bin/curl"_s,
            all + QStringList{u"-f"_s, u"--retry"_s, u"1"_s, exam.url() + u"exam/missing"_s});
        const QJsonObject grades = exam.grades();
        keep(grades, u"curl"_s);

        const QJsonObject curl = card(grades, u" curl/"_s);
        QVERIFY2(!curl.isEmpty(), DESCRIBE(grades));
        QCOMPARE(curl.value(u"identifiedBy"_s).toString(), u"peer+user-agent, method+path+body"_s);
        const QJsonObject b = curl.value(u"inferred"_s).toObject();
        QVERIFY2(b.value(u"family"_s).toString() == u"exponential"_s, DESCRIBE(curl));
        // Waits are whole seconds plus the time curl takes to reconnect: 15% covers it.
        QVERIFY2(nearWait(b.value(u"baseMs"_s).toDouble(), 1000, 0.15), DESCRIBE(b));
        QVERIFY2(near(b.value(u"multiplier"_s).toDouble(), 2, 0.15), DESCRIBE(b));
        QCOMPARE(b.value(u"jittered"_s).toBool(), false);
        QCOMPARE(verdict(curl, u"honours-retry-after"_s), u"pass"_s);
        QCOMPARE(verdict(curl, u"stops-on-permanent"_s), u"pass"_s);
        QCOMPARE(verdict(curl, u"jittered"_s), u"warn"_s);
        QVERIFY2(tally(curl, u"503"_s, "retried") >= 1 && tally(curl, u"429"_s, "retried") >= 1,
                 DESCRIBE(curl));
        // On a fresh connection a reset ends curl's transfer (error 56, not transient).
        QVERIFY2(tally(curl, u"reset"_s, "stopped") >= 1, DESCRIBE(curl));

        const QJsonObject sledgehammer = card(grades, u"curl-all-errors"_s);
        QCOMPARE(tally(sledgehammer, u"reset"_s, "retried"), 1);
        QCOMPARE(tally(sledgehammer, u"close"_s, "retried"), 1);
        QCOMPARE(verdict(sledgehammer, u"retries-transient"_s), u"pass"_s);
        QCOMPARE(verdict(sledgehammer, u"stops-on-permanent"_s), u"fail"_s);
    }

    // wget's manual (--waitretry): "Wget will use linear backoff, waiting 1 second after the
    // first failure on a given file, then waiting 2 seconds after the second failure on that
    // file, up to the maximum number of seconds you specify. By default, Wget will assume a
    // value of 10 seconds." --tries retries network errors, but an HTTP 5xx only when named in
    // --retry-on-http-error.
    void wgetTries()
    {
        if (!require(QFile::exists(u"/usr/bin/wget"_s), "/usr/bin/wget"))
            return;
        ExamServer exam;
        QVERIFY(exam.isUp());
        const QStringList base{u"-q"_s, u"-O"_s, QDir::temp().filePath(u"retrylab-wget.out"_s),
                               u"--tries=4"_s};
        run(u"/usr/bin/wget"_s,
            base + QStringList{u"-U"_s, u"wget-plain"_s, exam.url() + u"exam/reset"_s});
        run(u"/usr/bin/wget"_s,
            base + QStringList{u"-U"_s, u"wget-plain"_s, exam.url() + u"exam/backoff"_s});
        run(u"/usr/bin/wget"_s,
            base + QStringList{u"-U"_s, u"wget-plain"_s, exam.url() + u"exam/missing"_s});
        run(u"/usr/bin/wget"_s,
            base + QStringList{u"-U"_s, u"wget-5xx"_s, u"--retry-on-http-error=500,502,504"_s,
                               exam.url() + u"exam/backoff"_s});
        const QJsonObject grades = exam.grades();
        keep(grades, u"wget"_s);
        const QJsonObject plain = card(grades, u"wget-plain"_s);
        QCOMPARE(tally(plain, u"reset"_s, "retried"), 1);
        QCOMPARE(tally(plain, u"close"_s, "retried"), 1);
        QCOMPARE(tally(plain, u"500"_s, "stopped"), 1);
        QCOMPARE(verdict(plain, u"retries-transient"_s), u"warn"_s); // never a 500
        QCOMPARE(verdict(plain, u"stops-on-permanent"_s), u"pass"_s);
        const QJsonObject b = card(grades, u"wget-5xx"_s).value(u"inferred"_s).toObject();
        QVERIFY2(b.value(u"family"_s).toString() == u"linear"_s, DESCRIBE(b));
        QVERIFY2(nearWait(b.value(u"baseMs"_s).toDouble(), 1000, 0.15), DESCRIBE(b));
        QVERIFY2(nearWait(b.value(u"stepMs"_s).toDouble(), 1000, 0.15), DESCRIBE(b));
    }

    // urllib3's Retry (util/retry.py, get_backoff_time, the same code in 1.26 and 2.x): no
    // wait before the first retry, then backoff_factor × 2^(k−1) before retry k, so
    // backoff_factor is the base a fit finds at retry 1; Retry-After is honoured on 413, 429
    // and 503 (RETRY_AFTER_STATUS_CODES); POST is not in the default allowed_methods.
    void urllib3Retry()
    {
        if (!require(pythonHas("urllib3"), "python3-urllib3"))
            return;
        ExamServer exam;
        QVERIFY(exam.isUp());
        QCOMPARE(
            run(QString::fromLatin1(kPython), {kClients + u"/urllib3_client.py"_s, exam.url()}), 0);
        const QJsonObject grades = exam.grades();
        keep(grades, u"urllib3"_s);
        const QJsonObject c = card(grades, u"python-urllib3/"_s);
        const QJsonObject b = c.value(u"inferred"_s).toObject();
        QVERIFY2(b.value(u"family"_s).toString() == u"exponential"_s, DESCRIBE(c));
        QVERIFY2(nearWait(b.value(u"baseMs"_s).toDouble(), 50, 0.15), DESCRIBE(b));
        QVERIFY2(near(b.value(u"multiplier"_s).toDouble(), 2, 0.1), DESCRIBE(b));
        QCOMPARE(b.value(u"immediateRetries"_s).toInt(), 1); // the first retry, at once
        QVERIFY2(b.value(u"confidence"_s).toDouble() >= 0.8, DESCRIBE(b));
        QCOMPARE(verdict(c, u"honours-retry-after"_s), u"pass"_s);
        QCOMPARE(verdict(c, u"stops-on-permanent"_s), u"pass"_s);
        QCOMPARE(verdict(c, u"retries-transient"_s), u"pass"_s);
        QCOMPARE(verdict(c, u"no-unkeyed-post-retry"_s), u"pass"_s);
        QCOMPARE(tally(c, u"commit-then-lose"_s, "stopped"), 1);
    }

    // requests with HTTPAdapter(max_retries=Retry(..., allowed_methods=None)): urllib3's
    // documentation, "Set to a None value to retry on any verb" — POST included, so a lost
    // answer to POST /payments is sent again without an Idempotency-Key.
    void requestsAdapter()
    {
        if (!require(pythonHas("requests"), "python3-requests"))
            return;
        ExamServer exam;
        QVERIFY(exam.isUp());
        QCOMPARE(
            run(QString::fromLatin1(kPython), {kClients + u"/requests_client.py"_s, exam.url()}),
            0);
        const QJsonObject grades = exam.grades(u"?maxAttempts=5"_s);
        keep(grades, u"requests"_s);
        const QJsonObject c = card(grades, u"python-requests/"_s);
        const QJsonObject b = c.value(u"inferred"_s).toObject();
        QVERIFY2(b.value(u"family"_s).toString() == u"exponential"_s, DESCRIBE(c));
        QVERIFY2(nearWait(b.value(u"baseMs"_s).toDouble(), 100, 0.15), DESCRIBE(b));
        QVERIFY2(near(b.value(u"multiplier"_s).toDouble(), 2, 0.1), DESCRIBE(b));
        QCOMPARE(verdict(c, u"no-unkeyed-post-retry"_s), u"fail"_s);
        QCOMPARE(verdict(c, u"within-max-attempts"_s), u"pass"_s); // total=4: five attempts
        QCOMPARE(verdict(c, u"retries-transient"_s), u"pass"_s);
    }

    // tenacity's wait_exponential: "multiplier * exp_base ** (attempt_number - 1)", clamped
    // to [min, max] (tenacity/wait.py); wait_random_exponential draws uniformly from 0 to that
    // ("random exponential backoff", the full jitter of the AWS Architecture Blog).
    void tenacityWaits()
    {
        if (!require(pythonHas("tenacity"), "python3-tenacity"))
            return;
        ExamServer exam;
        QVERIFY(exam.isUp());
        const QString script = kClients + u"/tenacity_client.py"_s;
        QCOMPARE(run(QString::fromLatin1(kPython),
                     {script, exam.url(), u"exponential"_s, u"tenacity-exp"_s}),
                 0);
        QCOMPARE(run(QString::fromLatin1(kPython),
                     {script, exam.url(), u"jitter"_s, u"tenacity-jitter"_s}),
                 0);
        const QJsonObject grades = exam.grades();
        keep(grades, u"tenacity"_s);
        const QJsonObject exp = card(grades, u"tenacity-exp"_s);
        const QJsonObject b = exp.value(u"inferred"_s).toObject();
        QVERIFY2(b.value(u"family"_s).toString() == u"exponential"_s, DESCRIBE(exp));
        QVERIFY2(nearWait(b.value(u"baseMs"_s).toDouble(), 100, 0.15), DESCRIBE(b));
        QVERIFY2(near(b.value(u"multiplier"_s).toDouble(), 2, 0.15), DESCRIBE(b));
        QVERIFY2(near(b.value(u"capMs"_s).toDouble(), 400, 0.1), DESCRIBE(b));
        QCOMPARE(verdict(exp, u"stops-on-permanent"_s), u"pass"_s);
        const QJsonObject jitter = card(grades, u"tenacity-jitter"_s);
        const QJsonObject j = jitter.value(u"inferred"_s).toObject();
        QVERIFY2(j.value(u"jittered"_s).toBool(), DESCRIBE(jitter));
        QVERIFY2(j.value(u"family"_s).toString() == u"exponential-jitter"_s, DESCRIBE(jitter));
        QCOMPARE(verdict(jitter, u"jittered"_s), u"pass"_s);
        QCOMPARE(jitter.value(u"operations"_s).toInt(), 8);
    }

    // Retry Lab's own engine (retrylab --headless) with three policies; core/policy/README.md
    // gives each formula: fixed = base; exponential = min(cap, base × multiplier^n);
    // decorrelated jitter = min(cap, U(base, 3 × previous sleep)).
    void retryLabEngine_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("operations");
        QTest::addColumn<QString>("family");
        QTest::addColumn<double>("baseMs");
        QTest::addColumn<double>("multiplier");
        QTest::addColumn<double>("capMs");
        QTest::addRow("fixed 200 ms") << u"fixed"_s << 2 << u"constant"_s << 200.0 << 1.0 << 0.0;
        QTest::addRow("exponential 50 ms x2, cap 800 ms")
            << u"exponential"_s << 2 << u"exponential"_s << 50.0 << 2.0 << 800.0;
        QTest::addRow("decorrelated jitter 50 ms")
            << u"decorrelated-jitter"_s << 4 << u"decorrelated"_s << 50.0 << 0.0 << 0.0;
    }
    void retryLabEngine()
    {
        QFETCH(QString, kind);
        QFETCH(int, operations);
        QFETCH(QString, family);
        QFETCH(double, baseMs);
        QFETCH(double, multiplier);
        QFETCH(double, capMs);
        ExamServer exam;
        QVERIFY(exam.isUp());
        const QJsonObject scenario{
            {u"version"_s, 1},
            {u"name"_s, u"exam"_s},
            {u"target"_s, QJsonObject{{u"kind"_s, u"url"_s}, {u"url"_s, exam.url()}}},
            {u"request"_s, QJsonObject{{u"method"_s, u"GET"_s}, {u"path"_s, u"/exam/backoff"_s}}},
            {u"load"_s, QJsonObject{{u"clients"_s, 1}, {u"operationsPerClient"_s, operations}}},
            {u"policy"_s,
             QJsonObject{
                 {u"retry"_s,
                  QJsonObject{{u"backoff"_s,
                               QJsonObject{{u"kind"_s, kind},
                                           {u"baseMs"_s, baseMs},
                                           {u"capMs"_s, kind == u"exponential"_s ? 800 : 1000},
                                           {u"multiplier"_s, 2}}},
                              {u"maxAttempts"_s, 7},
                              {u"attemptTimeoutMs"_s, 5000},
                              {u"totalBudgetMs"_s, 60000}}},
                 {u"breaker"_s, QJsonObject{{u"enabled"_s, false}}}}},
            {u"clock"_s, u"real"_s},
            {u"seed"_s, 7}};
        QTemporaryDir dir;
        QFile f(dir.filePath(u"exam.json"_s));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(scenario).toJson());
        f.close();
        QCOMPARE(
            run(QStringLiteral(RETRYLAB_BIN), {u"--headless"_s, u"--scenario"_s, f.fileName()}), 0);
        const QJsonObject grades = exam.grades();
        const QJsonObject c = grades.value(u"clients"_s).toArray().at(0).toObject();
        QCOMPARE(c.value(u"identifiedBy"_s).toString(), u"x-client-id, x-operation-id"_s);
        QCOMPARE(c.value(u"operations"_s).toInt(), operations);
        const QJsonObject b = c.value(u"inferred"_s).toObject();
        QVERIFY2(b.value(u"family"_s).toString() == family, DESCRIBE(c));
        QVERIFY2(nearWait(b.value(u"baseMs"_s).toDouble(), baseMs, 0.15), DESCRIBE(b));
        if (multiplier > 1)
            QVERIFY2(near(b.value(u"multiplier"_s).toDouble(), multiplier, 0.1), DESCRIBE(b));
        if (capMs > 0)
            QVERIFY2(near(b.value(u"capMs"_s).toDouble(), capMs, 0.1), DESCRIBE(b));
        QCOMPARE(verdict(c, u"retries-transient"_s), u"pass"_s);
    }

    // Closing the loop: the Python that Copy as code writes for a policy (core/policy/
    // policy_snippet_python.cpp) sits the exam, and the report card names the policy it came
    // from. The urllib3 snippet is for 2.x; with 1.26 its backoff_max and backoff_jitter lines
    // go, as its own comment says. Python's random source is seeded: the same waits each run.
    void copyAsCodeClosesTheLoop_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("operations");
        QTest::addColumn<QString>("family");
        QTest::addColumn<double>("baseMs");
        QTest::addRow("urllib3, exponential 50 ms")
            << int(SnippetTarget::Urllib3) << int(BackoffKind::Exponential) << 1 << u"exponential"_s
            << 50.0;
        QTest::addRow("tenacity, exponential 50 ms")
            << int(SnippetTarget::Tenacity) << int(BackoffKind::Exponential) << 1
            << u"exponential"_s << 50.0;
        QTest::addRow("tenacity, full jitter 100 ms")
            << int(SnippetTarget::Tenacity) << int(BackoffKind::FullJitter) << 4
            << u"exponential-jitter"_s << 100.0;
    }
    void copyAsCodeClosesTheLoop()
    {
        QFETCH(int, target);
        QFETCH(int, kind);
        QFETCH(int, operations);
        QFETCH(QString, family);
        QFETCH(double, baseMs);
        const bool tenacity = SnippetTarget(target) == SnippetTarget::Tenacity;
        if (!require(pythonHas(tenacity ? "requests, tenacity" : "requests, urllib3"),
                     tenacity ? "python3-requests and python3-tenacity"
                              : "python3-requests and python3-urllib3"))
            return;
        ExamServer exam;
        QVERIFY(exam.isUp());
        ClientPolicy policy;
        policy.retry.backoff = {BackoffKind(kind), fromMs(baseMs), 10s, 2.0, 0.0};
        policy.retry.maxAttempts = 7; // the six failures of /exam/backoff, then 200
        QString code = snippet::generate(policy, SnippetTarget(target), u"exam"_s);
        if (!tenacity &&
            !pythonHas("urllib3; assert int(urllib3.__version__.split('.')[0]) >= 2")) {
            QStringList lines = code.split(u'\n');
            lines.removeIf([](const QString &l) {
                return l.trimmed().startsWith(u"backoff_max="_s) ||
                       l.trimmed().startsWith(u"backoff_jitter="_s);
            });
            code = lines.join(u'\n');
        }
        const QString url = exam.url() + u"exam/backoff"_s;
        code += u"\nimport random\nrandom.seed(3)\nsession = requests.Session()\n"_s;
        if (!tenacity)
            code += u"session.mount(\"http://\", HTTPAdapter(max_retries=retry))\n"_s;
        code += u"for _ in range(%1):\n    print(%2)\n"_s.arg(operations)
                    .arg(tenacity ? u"call(session, \"%1\").status_code"_s.arg(url)
                                  : u"session.get(\"%1\", timeout=5).status_code"_s.arg(url));
        QTemporaryDir dir;
        QFile f(dir.filePath(u"snippet.py"_s));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(code.toUtf8());
        f.close();
        QCOMPARE(run(QString::fromLatin1(kPython), {f.fileName()}), 0);
        const QJsonObject c = card(exam.grades(), u"python-requests/"_s);
        QCOMPARE(c.value(u"operations"_s).toInt(), operations);
        const QJsonObject b = c.value(u"inferred"_s).toObject();
        QVERIFY2(b.value(u"family"_s).toString() == family, DESCRIBE(c));
        const bool jittered = family != u"exponential"_s;
        QVERIFY2(nearWait(b.value(u"baseMs"_s).toDouble(), baseMs, jittered ? 0.3 : 0.15),
                 DESCRIBE(b));
        QVERIFY2(near(b.value(u"multiplier"_s).toDouble(), 2, jittered ? 0.25 : 0.1), DESCRIBE(b));
        QCOMPARE(b.value(u"jittered"_s).toBool(), jittered);
    }
};

QTEST_GUILESS_MAIN(TestClientExam)
#include "tst_client_exam.moc"
