// SPDX-License-Identifier: GPL-3.0-or-later
// The Python policy shipped for Locust (resources/locust/retrylab_locust) against the C++ core:
// the same decision vectors go to both, and every decision, wait, breaker state, budget level,
// pushback reading, idempotency key and random draw must be identical.
#include "http/idempotency.h"
#include "http/request_headers.h"
#include "policy/client_policy.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace retrylab;

namespace {

constexpr auto kPython = "/usr/bin/python3";

QJsonValue optionalUs(const std::optional<Duration> &d)
{
    return d ? QJsonValue(static_cast<qint64>(d->count())) : QJsonValue(QJsonValue::Null);
}

QJsonArray headersJson(const HeaderList &h)
{
    QJsonArray a;
    for (const auto &[n, v] : h)
        a.append(QJsonArray{QString::fromLatin1(n), QString::fromLatin1(v)});
    return a;
}

HeaderList headersFrom(const QJsonValue &v)
{
    HeaderList h;
    for (const QJsonValue &e : v.toArray())
        h.append({e[0].toString().toLatin1(), e[1].toString().toLatin1()});
    return h;
}

QJsonValue pushbackJson(const std::optional<Pushback> &p)
{
    if (!p)
        return QJsonValue(QJsonValue::Null);
    QJsonObject out{{u"delayUs"_s, static_cast<qint64>(p->delay.count())},
                    {u"source"_s, pushbackSourceId(p->source)},
                    {u"clamped"_s, p->clamped},
                    {u"doNotRetry"_s, p->doNotRetry}};
    if (p->source == PushbackSource::RetryAfter) {
        out.insert(u"form"_s, retryAfterFormId(p->retryAfter.form));
        out.insert(u"pastDate"_s, p->retryAfter.pastDate);
        out.insert(u"measuredFromDate"_s, p->retryAfter.measuredFromDate);
    }
    return out;
}

QDateTime fromMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
}

// ---- the C++ side of each kind of vector ------------------------------------------------

QJsonObject rngAnswer(const QJsonObject &v)
{
    RandomSource rng(v[u"seed"_s].toString().toULongLong());
    QJsonArray next, uniform;
    const int count = v[u"count"_s].toInt();
    for (int i = 0; i < count; ++i)
        next.append(QString::number(rng.next()));
    for (int i = 0; i < count; ++i)
        uniform.append(rng.uniform());
    return {{u"next"_s, next}, {u"uniform"_s, uniform}};
}

QJsonArray decisionsAnswer(const QJsonObject &v)
{
    const auto policy = ClientPolicy::fromJson(v[u"policy"_s].toObject(), nullptr);
    Q_ASSERT(policy);
    RandomSource rng(v[u"seed"_s].toString().toULongLong());
    BackoffState state;
    QJsonArray out;
    const QJsonArray steps = v[u"steps"_s].toArray();
    for (int i = 0; i < steps.size(); ++i) {
        const QJsonObject s = steps[i].toObject();
        // As the engine reads a response (core/engine/run_engine.cpp, onResult): every pushback
        // header first, then what this policy's Retry-After mode takes from them.
        AttemptResult result;
        result.outcome = *outcome::fromId(s[u"outcome"_s].toString());
        result.httpStatus = s[u"status"_s].toInt();
        if (result.httpStatus > 0) {
            const HeaderList headers = headersFrom(s[u"headers"_s]);
            const QDateTime received = fromMs(s[u"receivedMs"_s].toInteger());
            result.pushback =
                policy->retry.serverWait(readPushback(result.httpStatus, headers, received),
                                         result.httpStatus, headers, received);
        }
        if (s.contains(u"breakerOpenForUs"_s))
            result.breakerOpenFor = Duration(s[u"breakerOpenForUs"_s].toInteger());
        const bool keyed = v[u"keyed"_s].toBool();
        const Duration elapsed(s[u"elapsedUs"_s].toInteger());
        const AttemptContext ctx{i + 1, elapsed,
                                 isIdempotentMethod(v[u"method"_s].toString().toLatin1()), keyed,
                                 Duration(s[u"attemptUs"_s].toInteger())};
        const RetryDecision d = policy->retry.decide(ctx, result, state, rng);
        const Duration timeout = policy->retry.effectiveAttemptTimeout(elapsed);
        out.append(QJsonObject{
            {u"retry"_s, d.retry},
            {u"stop"_s, stopReasonId(d.stop)},
            {u"delayUs"_s, static_cast<qint64>(d.delay.count())},
            {u"source"_s, delaySourceId(d.source)},
            {u"backoffUs"_s, static_cast<qint64>(d.backoffDelay.count())},
            {u"serverUs"_s, optionalUs(d.serverDelay)},
            {u"serverCapped"_s, d.serverDelayCapped},
            {u"shortened"_s, d.shortened},
            {u"pushback"_s, pushbackJson(result.pushback)},
            {u"countsAgainstBudget"_s, policy->retry.countsAgainstBudget(result, keyed)},
            {u"serviceFailure"_s,
             policy->retry.isServiceFailure(result.outcome, result.httpStatus)},
            {u"holdsClient"_s, policy->retry.holdsClientOnPushback()},
            {u"attemptTimeoutUs"_s, timeout >= kMaxDuration
                                        ? QJsonValue(QJsonValue::Null)
                                        : QJsonValue(qint64(timeout.count()))}});
    }
    return out;
}

QJsonObject breakerAnswer(const QJsonObject &v)
{
    const auto policy =
        ClientPolicy::fromJson(QJsonObject{{u"breaker"_s, v[u"config"_s]}}, nullptr);
    Q_ASSERT(policy);
    ManualClock clock;
    CircuitBreaker b(policy->breaker, clock);
    QJsonArray transitions, steps;
    b.setListener([&](const BreakerTransition &t) {
        transitions.append(QJsonObject{{u"atUs"_s, static_cast<qint64>(t.at.count())},
                                       {u"from"_s, breakerStateId(t.from)},
                                       {u"to"_s, breakerStateId(t.to)},
                                       {u"windowCalls"_s, t.windowCalls},
                                       {u"windowFailures"_s, t.windowFailures},
                                       {u"consecutive"_s, t.consecutiveFailures},
                                       {u"openForUs"_s, static_cast<qint64>(t.openFor.count())}});
    });
    for (const QJsonValue &e : v[u"events"_s].toArray()) {
        clock.set(Duration(e[u"t"_s].toInteger()));
        const QString op = e[u"op"_s].toString();
        QJsonObject row;
        if (op == u"acquire"_s) {
            const auto p = b.tryAcquire();
            row = {{u"allowed"_s, p.allowed},
                   {u"probe"_s, p.probe},
                   {u"retryInUs"_s, static_cast<qint64>(p.retryIn.count())}};
        } else if (op == u"success"_s) {
            b.onSuccess();
        } else {
            b.onFailure();
        }
        row.insert(u"state"_s, breakerStateId(b.state()));
        row.insert(u"windowCalls"_s, b.windowCalls());
        row.insert(u"windowFailures"_s, b.windowFailures());
        row.insert(u"consecutive"_s, b.consecutiveFailures());
        row.insert(u"rejected"_s, b.rejected());
        steps.append(row);
    }
    return {{u"steps"_s, steps}, {u"transitions"_s, transitions}};
}

QJsonArray budgetAnswer(const QJsonObject &v)
{
    const auto policy = ClientPolicy::fromJson(QJsonObject{{u"budget"_s, v[u"config"_s]}}, nullptr);
    Q_ASSERT(policy);
    RetryBudget budget(policy->budget);
    QJsonArray out;
    for (const QJsonValue &e : v[u"events"_s].toArray()) {
        const QString op = e[u"op"_s].toString();
        QJsonObject row;
        if (op == u"acquire"_s) {
            const auto p = budget.tryAcquireRetry(*outcome::fromId(e[u"outcome"_s].toString()));
            row = {{u"allowed"_s, p.allowed}, {u"cost"_s, p.cost}};
        } else if (op == u"success"_s) {
            budget.onAttemptSucceeded(e[u"cost"_s].toDouble());
        } else {
            budget.onAttemptFailed();
        }
        row.insert(u"level"_s, budget.level());
        row.insert(u"denied"_s, budget.denied());
        out.append(row);
    }
    return out;
}

QJsonArray keysAnswer(const QJsonObject &v)
{
    RandomSource rng(v[u"seed"_s].toString().toULongLong());
    QJsonArray out;
    const auto client = static_cast<std::uint32_t>(v[u"client"_s].toInteger());
    for (int i = 0; i < v[u"count"_s].toInt(); ++i) {
        const QString key = v[u"keyed"_s].toBool() ? makeIdempotencyKey(rng) : QString();
        out.append(
            headersJson(generatedHeaders(client, static_cast<std::uint32_t>(i), i + 1, key)));
    }
    return out;
}

QJsonObject cppAnswer(const QJsonObject &vectors)
{
    QJsonObject out;
    const auto each = [&](const QString &name, auto answer) {
        QJsonArray a;
        for (const QJsonValue &v : vectors[name].toArray())
            a.append(answer(v.toObject()));
        out.insert(name, a);
    };
    each(u"rng"_s, rngAnswer);
    each(u"decisions"_s, decisionsAnswer);
    each(u"breakers"_s, breakerAnswer);
    each(u"budgets"_s, budgetAnswer);
    each(u"keys"_s, keysAnswer);
    QJsonArray pushbacks;
    for (const QJsonValue &v : vectors[u"pushbacks"_s].toArray())
        pushbacks.append(
            pushbackJson(readPushback(v[u"status"_s].toInt(), headersFrom(v[u"headers"_s]),
                                      fromMs(v[u"receivedMs"_s].toInteger()))
                             .wait));
    out.insert(u"pushbacks"_s, pushbacks);
    return out;
}

QJsonObject pythonAnswer(const QJsonObject &vectors, QString *error)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"PYTHONPATH"_s, QStringLiteral(RETRYLAB_LOCUST_DIR));
    env.insert(u"PYTHONDONTWRITEBYTECODE"_s, u"1"_s);
    p.setProcessEnvironment(env);
    p.start(QString::fromLatin1(kPython), {u"-m"_s, u"retrylab_locust.parity"_s});
    if (!p.waitForStarted(30'000)) {
        *error = p.errorString();
        return {};
    }
    p.write(QJsonDocument(vectors).toJson(QJsonDocument::Compact));
    p.closeWriteChannel();
    if (!p.waitForFinished(240'000) || p.exitCode() != 0) {
        *error = QString::fromUtf8(p.readAllStandardError());
        return {};
    }
    QJsonParseError parseError;
    const auto doc = QJsonDocument::fromJson(p.readAllStandardOutput(), &parseError);
    if (!doc.isObject())
        *error = u"the Python answer is not JSON: "_s + parseError.errorString();
    return doc.object();
}

} // namespace

#include "tst_locust_parity_vectors.h"

class TestLocustParity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists(QString::fromLatin1(kPython))) {
            // CI runs installer/install-deps.sh first: there a missing Python is a fault.
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL("/usr/bin/python3 is missing although installer/install-deps.sh ran");
            QSKIP("/usr/bin/python3 is not installed (installer/install-deps.sh installs it)");
        }
        m_vectors = parityVectors();
        QString error;
        m_python = pythonAnswer(m_vectors, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_cpp = cppAnswer(m_vectors);
    }

    void sameAnswers_data()
    {
        QTest::addColumn<QString>("kind");
        for (const char *kind : {"rng", "decisions", "breakers", "budgets", "pushbacks", "keys"})
            QTest::newRow(kind) << QString::fromLatin1(kind);
    }

    void sameAnswers()
    {
        QFETCH(QString, kind);
        const QJsonArray cpp = m_cpp[kind].toArray();
        const QJsonArray python = m_python[kind].toArray();
        const QJsonArray vectors = m_vectors[kind].toArray();
        QVERIFY(!vectors.isEmpty());
        QCOMPARE(python.size(), cpp.size());
        for (qsizetype i = 0; i < cpp.size(); ++i) {
            if (cpp[i] == python[i])
                continue;
            const auto text = [](const QJsonValue &v) {
                return QString::fromUtf8(
                    QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
            };
            QFAIL(qPrintable(
                u"%1 vector %2 differs\nvector: %3\nC++:    %4\nPython: %5"_s.arg(kind).arg(i).arg(
                    text(vectors[i]).left(2000), text(cpp[i]).left(3000),
                    text(python[i]).left(3000))));
        }
    }

    void coversEveryKindPresetAndMode()
    {
        QSet<QString> kinds, presets, modes, stops, modesUsingServer, pushbackSources;
        const QJsonArray vectors = m_vectors[u"decisions"_s].toArray();
        const QJsonArray answers = m_cpp[u"decisions"_s].toArray();
        for (qsizetype i = 0; i < vectors.size(); ++i) {
            const QJsonObject retry = vectors[i][u"policy"_s][u"retry"_s].toObject();
            const QString mode = retry[u"retryAfterMode"_s].toString();
            kinds << retry[u"backoff"_s][u"kind"_s].toString();
            modes << mode;
            presets << vectors[i][u"preset"_s].toString();
            for (const QJsonValue &d : answers[i].toArray()) {
                stops << d[u"stop"_s].toString();
                if (d[u"retry"_s].toBool() && d[u"source"_s].toString() == u"retry-after"_s)
                    modesUsingServer << mode;
                if (d[u"pushback"_s].isObject())
                    pushbackSources << mode + u'/' + d[u"pushback"_s][u"source"_s].toString();
            }
        }
        for (const QString &k : Backoff::ids())
            QVERIFY2(kinds.contains(k), qPrintable(k));
        for (const PolicyPreset &p : policyPresets())
            QVERIFY2(presets.contains(p.id), qPrintable(p.id));
        // Every mode is in the vectors, and every mode but Ignore made a server's wait the
        // next wait at least once.
        for (const RetryAfterMode m : retryAfterModes()) {
            QVERIFY2(modes.contains(retryAfterModeId(m)), qPrintable(retryAfterModeId(m)));
            if (m != RetryAfterMode::Ignore)
                QVERIFY2(modesUsingServer.contains(retryAfterModeId(m)),
                         qPrintable(retryAfterModeId(m)));
        }
        // The library modes read their own header only; the Retry Lab modes read them all.
        for (const QString &s :
             {u"grpc-pushback/grpc-retry-pushback-ms"_s, u"x-amz-retry-after/x-amz-retry-after"_s,
              u"envoy-rate-limited/retry-after"_s, u"envoy-rate-limited/x-ratelimit-reset"_s,
              u"honour/retry-after"_s, u"honour/ratelimit"_s, u"honour/x-amz-retry-after"_s,
              u"honour/grpc-retry-pushback-ms"_s, u"honour/x-ratelimit-reset"_s})
            QVERIFY2(pushbackSources.contains(s), qPrintable(s));
        for (const QString &s : pushbackSources) {
            const QString mode = s.section(u'/', 0, 0), source = s.section(u'/', 1);
            if (mode == u"grpc-pushback"_s)
                QCOMPARE(source, u"grpc-retry-pushback-ms"_s);
            if (mode == u"x-amz-retry-after"_s)
                QCOMPARE(source, u"x-amz-retry-after"_s);
            if (mode == u"envoy-rate-limited"_s)
                QVERIFY2(source == u"retry-after"_s || source == u"x-ratelimit-reset"_s,
                         qPrintable(source));
        }
        for (const QString &s :
             {u"retry"_s, u"succeeded"_s, u"final-answer"_s, u"not-retryable"_s,
              u"non-idempotent"_s, u"max-attempts"_s, u"time-budget-exhausted"_s,
              u"pushback-beyond-budget"_s, u"server-said-no-retry"_s, u"rejected"_s})
            QVERIFY2(stops.contains(s), qPrintable(s));
        // Every pushback header and every Retry-After form was read by the C++ side as a wait.
        QSet<QString> sources, forms;
        for (const QJsonValue &p : m_cpp[u"pushbacks"_s].toArray()) {
            sources << p[u"source"_s].toString();
            if (p[u"form"_s].isString())
                forms << p[u"form"_s].toString();
        }
        for (const QString &s : {u"retry-after"_s, u"ratelimit"_s, u"x-amz-retry-after"_s,
                                 u"grpc-retry-pushback-ms"_s, u"x-ratelimit-reset"_s})
            QVERIFY2(sources.contains(s), qPrintable(s));
        for (const auto f : {RetryAfterForm::DelaySeconds, RetryAfterForm::ImfFixdate,
                             RetryAfterForm::Rfc850, RetryAfterForm::Asctime})
            QVERIFY2(forms.contains(retryAfterFormId(f)), qPrintable(retryAfterFormId(f)));
        qInfo("%lld decision vectors (%lld decisions), %lld presets, %lld backoff kinds, "
              "%lld Retry-After modes, %lld pushback readings",
              qint64(vectors.size()), qint64(decisionCount()), qint64(presets.size() - 1),
              qint64(kinds.size()), qint64(modes.size()),
              qint64(m_vectors[u"pushbacks"_s].toArray().size()));
    }

private:
    qsizetype decisionCount() const
    {
        qsizetype n = 0;
        for (const QJsonValue &a : m_cpp[u"decisions"_s].toArray())
            n += a.toArray().size();
        return n;
    }

    QJsonObject m_vectors;
    QJsonObject m_cpp;
    QJsonObject m_python;
};

QTEST_GUILESS_MAIN(TestLocustParity)
#include "tst_locust_parity.moc"
