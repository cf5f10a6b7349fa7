// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui_test_utils.h"
#include "policy/policy_editor.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

class TestPolicyEditor : public QObject
{
    Q_OBJECT
private:
    template<typename T> T *field(const QString &path)
    {
        auto *w = m_editor->findChild<T *>(path);
        if (!w)
            qFatal("no field %s", qPrintable(path));
        return w;
    }
    QLabel *errorOf(const QString &path) { return field<QLabel>(path + u".error"_s); }
    void type(const QString &path, const QString &text)
    {
        auto *edit = field<QLineEdit>(path);
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Delete);
        QTest::keyClicks(edit, text);
    }

    std::unique_ptr<PolicyEditor> m_editor;

private Q_SLOTS:
    void init()
    {
        m_editor = std::make_unique<PolicyEditor>();
        m_editor->resize(1200, 900);
        m_editor->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_editor.get()));
    }
    void cleanup() { m_editor.reset(); }

    void startsWithTheDefaultPreset()
    {
        QVERIFY(m_editor->policy());
        QVERIFY(*m_editor->policy() == findPreset(u"default"_s)->policy);
        QCOMPARE(field<QComboBox>(u"presets"_s)->currentData().toString(), u"default"_s);
        QVERIFY(field<QTableWidget>(u"preview"_s)->rowCount() >= 2);
    }

    void typingADurationEditsThePolicy()
    {
        QSignalSpy changed(m_editor.get(), &PolicyEditor::policyChanged);
        type(u"retry.backoff.baseMs"_s, u"250 ms"_s);
        QVERIFY(changed.count() > 0);
        const auto p = changed.last().at(0).value<ClientPolicy>();
        QCOMPARE(p.retry.backoff.base, Duration(250ms));
        QCOMPARE(m_editor->policy()->retry.backoff.base, Duration(250ms));
        // No longer the preset: the combo says so.
        QCOMPARE(field<QComboBox>(u"presets"_s)->currentData().toString(), QString());
    }

    void invalidValueIsRefusedWithTheReasonNextToIt()
    {
        QSignalSpy validity(m_editor.get(), &PolicyEditor::validityChanged);
        type(u"retry.backoff.capMs"_s, u"10 ms"_s); // below the 100 ms base
        QVERIFY(!m_editor->policy());
        // Typed key by key, "10 m" was valid on the way; what counts is where it ends.
        QVERIFY(!validity.isEmpty());
        QCOMPARE(validity.last().at(0).toBool(), false);
        QLabel *error = errorOf(u"retry.backoff.capMs"_s);
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(u"below the base"_s), qPrintable(error->text()));
        saveScreenshot(m_editor.get(), u"policy-editor-invalid-cap"_s);
        // What was typed stays, and fixing it clears the message.
        QCOMPARE(field<QLineEdit>(u"retry.backoff.capMs"_s)->text(), u"10 ms"_s);
        type(u"retry.backoff.capMs"_s, u"20 s"_s);
        QVERIFY(m_editor->policy());
        QVERIFY(!error->isVisible());
        QCOMPARE(validity.last().at(0).toBool(), true);
    }

    void unparsableTextSaysWhy()
    {
        type(u"retry.totalBudgetMs"_s, u"soon"_s);
        QVERIFY(!m_editor->policy());
        QVERIFY(errorOf(u"retry.totalBudgetMs"_s)->text().contains(u"not a duration"_s));
        type(u"retry.retryableStatuses"_s, u"503, teapot"_s);
        QVERIFY(errorOf(u"retry.retryableStatuses"_s)->text().contains(u"teapot"_s));
    }

    void spinBoxValuesOutsideTheCoreRangeAreExplained()
    {
        field<QDoubleSpinBox>(u"retry.backoff.multiplier"_s)->setValue(0.5);
        QVERIFY(!m_editor->policy());
        QVERIFY(errorOf(u"retry.backoff.multiplier"_s)->text().contains(u"between 1 and 100"_s));
        field<QSpinBox>(u"retry.maxAttempts"_s)->setValue(0);
        QVERIFY(errorOf(u"retry.maxAttempts"_s)->text().contains(u"at least 1"_s));
    }

    void presetsFillEveryField()
    {
        auto *presets = field<QComboBox>(u"presets"_s);
        const int index = presets->findData(u"resilience4j"_s);
        QVERIFY(index > 0);
        presets->setCurrentIndex(index);
        Q_EMIT presets->activated(index);
        QVERIFY(*m_editor->policy() == findPreset(u"resilience4j"_s)->policy);
        QCOMPARE(field<QComboBox>(u"retry.backoff.kind"_s)->currentData().toString(),
                 u"resilience4j-randomized"_s);
        QCOMPARE(field<QSpinBox>(u"breaker.halfOpenProbes"_s)->value(), 10);
        QVERIFY(field<QLabel>(u"presetDescription"_s)->text().contains(u"resilience4j"_s));
        // Which library version and source file the preset follows.
        const QString source = field<QLabel>(u"presetSource"_s)->text();
        QVERIFY(source.contains(u"2.3.0"_s));
        QVERIFY(source.contains(u"IntervalFunction.java"_s));
        // Every library mode of the Retry-After setting is offered, by the library's name.
        auto *modes = field<QComboBox>(u"retry.retryAfterMode"_s);
        for (const auto mode : retryAfterModes())
            QVERIFY(modes->findData(retryAfterModeId(mode)) >= 0);
        // The rate-based breaker's rows are shown, the consecutive one's hidden.
        QVERIFY(field<QSpinBox>(u"breaker.windowCalls"_s)->isVisibleTo(m_editor.get()));
        QVERIFY(!field<QSpinBox>(u"breaker.consecutiveFailures"_s)->isVisibleTo(m_editor.get()));
        saveScreenshot(m_editor.get(), u"policy-editor-resilience4j"_s);
    }

    void previewFollowsThePolicy()
    {
        auto *preview = field<QTableWidget>(u"preview"_s);
        field<QComboBox>(u"retry.backoff.kind"_s)
            ->setCurrentIndex(
                field<QComboBox>(u"retry.backoff.kind"_s)->findData(u"exponential"_s));
        type(u"retry.backoff.baseMs"_s, u"100 ms"_s);
        field<QSpinBox>(u"retry.maxAttempts"_s)->setValue(4);
        QCOMPARE(preview->rowCount(), 4);
        QCOMPARE(preview->item(0, 2)->text(), u"100 ms"_s);
        QCOMPARE(preview->item(1, 2)->text(), u"200 ms"_s);
        QCOMPARE(preview->item(2, 2)->text(), u"400 ms"_s);
        QVERIFY(preview->item(3, 1)->text().contains(u"4 of 4 attempts"_s));
        field<QSpinBox>(u"retry.maxAttempts"_s)->setValue(6);
        QCOMPARE(preview->rowCount(), 6);
    }

    void adviceWarnsAboutUnsafeChoices()
    {
        field<QCheckBox>(u"retry.retryNonIdempotentWithoutKey"_s)->setChecked(true);
        QVERIFY(m_editor->policy()); // allowed, but warned about
        auto *advice = field<QLabel>(u"advice"_s);
        QVERIFY(advice->isVisible());
        QVERIFY(advice->text().contains(u"charge twice"_s));
    }
};

QTEST_MAIN(TestPolicyEditor)
#include "tst_policy_editor.moc"
