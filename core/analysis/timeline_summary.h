// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/outcome_category.h"

#include <QtGlobal>

#include <cstdint>
#include <optional>
#include <vector>

namespace retrylab {

// The timeline zoomed far out, kept as bars arrive: for rows that merge 100, 200, 500, 1,000 …
// lanes (1-2-5 steps, up to one row for every lane), the worst outcome (category::severity) of
// the row's attempts in each time bucket. A view of a million lanes then draws from a few
// hundred rows × a few thousand buckets instead of visiting every attempt.
// Buckets start 1 ms wide and double (merging pairs, worst kept) whenever the run outgrows
// kBuckets of them, so a bucket is never wider than 1/2048 of the run so far.
// One writer; readers on the same thread (like TimelineLanes, which owns it).
class TimelineSummary
{
public:
    static constexpr int kBuckets = 4096;
    static constexpr int kSmallestRow = 100;

    // The smallest of 1, 2, 5 × 10^k that is at least `wanted` (at least 1).
    static int niceRowSize(int wanted);

    // A cell's code: 0 for nothing, else the category + 1; of two codes, the worse.
    static std::uint8_t code(OutcomeCategory c) { return std::uint8_t(int(c) + 1); }
    static std::uint8_t worse(std::uint8_t a, std::uint8_t b);

    void add(int lane, qint64 startUs, qint64 endUs, OutcomeCategory c);

    qint64 bucketUs() const { return m_bucketUs; }
    int lanes() const { return m_lanes; }
    // The kept row size that stands for rows of `lanesPerRow` lanes (a niceRowSize): that size
    // when it is kept, the largest kept when such a row would hold every lane; 0 otherwise
    // (fewer than kSmallestRow lanes a row: views read the bars themselves).
    int levelFor(int lanesPerRow) const;
    // Calls f(bucket, category) for every bucket from `fromBucket` to `toBucket` (inclusive)
    // where row `row` of that size has an attempt, in time order.
    template<typename F>
    void forEachCell(int lanesPerRow, int row, int fromBucket, int toBucket, F &&f) const
    {
        const Level *l = level(lanesPerRow);
        if (!l || row < 0 || row >= int(l->rows.size()))
            return;
        const Row &r = l->rows[std::size_t(row)];
        const int last = std::min(toBucket, r.first + int(r.cells.size()) - 1);
        for (int b = std::max(fromBucket, r.first); b <= last; ++b)
            if (const std::uint8_t code = r.cells[std::size_t(b - r.first)])
                f(b, OutcomeCategory(code - 1));
    }
    // The worst outcome of the row's attempts between the two times, if it has any there.
    std::optional<OutcomeCategory> worst(int lanesPerRow, int row, qint64 fromUs,
                                         qint64 toUs) const;

private:
    struct Row {
        int first = 0;                   // the bucket cells[0] stands for
        std::vector<std::uint8_t> cells; // 0: nothing; else the worst category + 1
    };
    struct Level {
        int lanesPerRow = kSmallestRow;
        std::vector<Row> rows;
    };
    const Level *level(int lanesPerRow) const;
    static void mark(Row &row, int from, int to, std::uint8_t cellCode);
    void widenBuckets();  // doubles the bucket width, merging pairs
    void addLevelAbove(); // the next size, built from the smallest level

    std::vector<Level> m_levels;
    qint64 m_bucketUs = 1000;
    int m_lanes = 0;
};

} // namespace retrylab
