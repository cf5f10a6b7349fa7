// SPDX-License-Identifier: GPL-3.0-or-later
// The Locust parity vectors reach every backoff kind, preset, Retry-After mode, stop reason,
// pushback header and Retry-After form, as the C++ core answers them (no Python needed).
#include "locust_parity_answers.h"
#include "tst_locust_parity_vectors.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace retrylab;

class TestLocustParityCoverage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_vectors = parityVectors();
        m_cpp = parity::cppAnswer(m_vectors);
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
};

QTEST_GUILESS_MAIN(TestLocustParityCoverage)
#include "tst_locust_parity_coverage.moc"
