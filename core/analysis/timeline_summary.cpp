// SPDX-License-Identifier: GPL-3.0-or-later
#include "timeline_summary.h"

#include <algorithm>
#include <array>

namespace retrylab {

std::uint8_t TimelineSummary::worse(std::uint8_t a, std::uint8_t b)
{
    static const auto severities = [] {
        std::array<int, category::count() + 1> s{};
        for (int c = 0; c < category::count(); ++c)
            s[std::size_t(c + 1)] = category::severity(OutcomeCategory(c));
        return s;
    }();
    return severities[b] > severities[a] ? b : a;
}

int TimelineSummary::niceRowSize(int wanted)
{
    for (int power = 1;; power *= 10)
        for (int m : {1, 2, 5})
            if (m * power >= wanted)
                return m * power;
}

const TimelineSummary::Level *TimelineSummary::level(int lanesPerRow) const
{
    for (const Level &l : m_levels)
        if (l.lanesPerRow == lanesPerRow)
            return &l;
    return nullptr;
}

int TimelineSummary::levelFor(int lanesPerRow) const
{
    if (m_levels.empty() || lanesPerRow < kSmallestRow)
        return 0;
    if (lanesPerRow >= m_lanes)
        return m_levels.back().lanesPerRow;
    return level(lanesPerRow) ? lanesPerRow : 0;
}

void TimelineSummary::mark(Row &row, int from, int to, std::uint8_t cellCode)
{
    if (row.cells.empty()) {
        row.first = from;
        row.cells.assign(std::size_t(to - from + 1), 0);
    } else if (from < row.first) {
        // An attempt that began before the row's first one (records come in finish order).
        row.cells.insert(row.cells.begin(), std::size_t(row.first - from), 0);
        row.first = from;
    }
    if (to >= row.first + int(row.cells.size()))
        row.cells.resize(std::size_t(to - row.first + 1), 0);
    for (int b = from; b <= to; ++b) {
        std::uint8_t &cell = row.cells[std::size_t(b - row.first)];
        cell = worse(cell, cellCode);
    }
}

void TimelineSummary::add(int lane, qint64 startUs, qint64 endUs, OutcomeCategory c)
{
    m_lanes = std::max(m_lanes, lane + 1);
    if (m_levels.empty())
        m_levels.push_back(Level{});
    while (m_levels.back().lanesPerRow < m_lanes)
        addLevelAbove();
    endUs = std::max({qint64(0), startUs, endUs});
    while (endUs >= kBuckets * m_bucketUs)
        widenBuckets();
    const int from = int(std::max(qint64(0), startUs) / m_bucketUs);
    const int to = int(endUs / m_bucketUs);
    const std::uint8_t cellCode = code(c);
    for (Level &l : m_levels) {
        const auto row = std::size_t(lane / l.lanesPerRow);
        if (l.rows.size() <= row)
            l.rows.resize(row + 1);
        mark(l.rows[row], from, to, cellCode);
    }
}

void TimelineSummary::widenBuckets()
{
    m_bucketUs *= 2;
    for (Level &l : m_levels)
        for (Row &r : l.rows) {
            if (r.cells.empty())
                continue;
            const int first = r.first / 2;
            const int last = (r.first + int(r.cells.size()) - 1) / 2;
            std::vector<std::uint8_t> cells(std::size_t(last - first + 1), 0);
            for (std::size_t i = 0; i < r.cells.size(); ++i) {
                std::uint8_t &cell = cells[std::size_t((r.first + int(i)) / 2 - first)];
                cell = worse(cell, r.cells[i]);
            }
            r.first = first;
            r.cells = std::move(cells);
        }
}

void TimelineSummary::addLevelAbove()
{
    // Every size is a multiple of the smallest, so the smallest level's rows build any other.
    Level next{niceRowSize(m_levels.back().lanesPerRow + 1), {}};
    const Level &smallest = m_levels.front();
    const int per = next.lanesPerRow / smallest.lanesPerRow;
    next.rows.resize(smallest.rows.size() / std::size_t(per) + 1);
    for (std::size_t i = 0; i < smallest.rows.size(); ++i) {
        const Row &from = smallest.rows[i];
        Row &to = next.rows[i / std::size_t(per)];
        for (std::size_t c = 0; c < from.cells.size(); ++c)
            if (from.cells[c])
                mark(to, from.first + int(c), from.first + int(c), from.cells[c]);
    }
    m_levels.push_back(std::move(next));
}

std::optional<OutcomeCategory> TimelineSummary::worst(int lanesPerRow, int row, qint64 fromUs,
                                                      qint64 toUs) const
{
    std::uint8_t found = 0;
    const auto bucket = [this](qint64 us) {
        return int(std::clamp(us / m_bucketUs, qint64(0), qint64(kBuckets)));
    };
    forEachCell(lanesPerRow, row, bucket(fromUs), bucket(toUs),
                [&](int, OutcomeCategory c) { found = worse(found, code(c)); });
    if (!found)
        return std::nullopt;
    return OutcomeCategory(found - 1);
}

} // namespace retrylab
