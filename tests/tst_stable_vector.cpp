// SPDX-License-Identifier: GPL-3.0-or-later
#include "base/stable_vector.h"

#include <QTest>

#include <vector>

using namespace retrylab;

class TestStableVector : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Iteration and indexing agree with a std::vector fed the same values, at every size
    // around a segment's boundary (segments of 2, 4, 8 …: boundaries at 2, 6, 14, 30 …).
    void matchesVector_data()
    {
        QTest::addColumn<int>("count");
        for (int n : {0, 1, 2, 3, 6, 7, 14, 15, 30, 1000, 100'000})
            QTest::addRow("%d", n) << n;
    }
    void matchesVector()
    {
        QFETCH(int, count);
        StableVector<qint64> list;
        std::vector<qint64> expected;
        for (int i = 0; i < count; ++i) {
            list.push_back(qint64(i) * 7 - 3);
            expected.push_back(qint64(i) * 7 - 3);
        }
        QCOMPARE(list.size(), expected.size());
        QCOMPARE(list.empty(), count == 0);
        std::vector<qint64> iterated(list.begin(), list.end());
        QCOMPARE(iterated, expected);
        for (std::size_t i = 0; i < expected.size(); ++i)
            QCOMPARE(list[i], expected[i]);
        if (count > 0) {
            QCOMPARE(list.front(), expected.front());
            QCOMPARE(list.back(), expected.back());
        }
    }
    // What the timeline relies on: an element's address never changes as the list grows.
    void elementsNeverMove()
    {
        StableVector<int> list;
        std::vector<const int *> addresses;
        for (int i = 0; i < 50'000; ++i) {
            list.push_back(i);
            addresses.push_back(&list[std::size_t(i)]);
        }
        for (int i = 0; i < 50'000; ++i) {
            QCOMPARE(addresses[std::size_t(i)], &list[std::size_t(i)]);
            QCOMPARE(*addresses[std::size_t(i)], i);
        }
    }
};

QTEST_APPLESS_MAIN(TestStableVector)
#include "tst_stable_vector.moc"
