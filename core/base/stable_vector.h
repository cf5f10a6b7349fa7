// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <bit>
#include <cstddef>
#include <iterator>
#include <vector>

namespace retrylab {

// A list that only grows, whose elements never move: segments of 2, 4, 8 … elements, each
// allocated once at its full size. Appending never copies what is already in, so a list of a
// million elements costs its next element, not a copy of all of them (core/README.md, "Growing
// without stalls"); a small list costs about what a std::vector does (one segment of two),
// unlike a std::deque's 512-byte block. Indexing is a bit scan and two subtractions.
template<typename T> class StableVector
{
public:
    class const_iterator
    {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = const T *;
        using reference = const T &;

        const_iterator() = default;
        reference operator*() const { return (*m_segments)[m_segment][m_offset]; }
        pointer operator->() const { return &**this; }
        const_iterator &operator++()
        {
            if (++m_offset == (*m_segments)[m_segment].size()) {
                ++m_segment;
                m_offset = 0;
            }
            return *this;
        }
        const_iterator operator++(int)
        {
            const_iterator old = *this;
            ++*this;
            return old;
        }
        bool operator==(const const_iterator &o) const
        {
            return m_segment == o.m_segment && m_offset == o.m_offset;
        }

    private:
        friend class StableVector;
        const_iterator(const std::vector<std::vector<T>> *segments, std::size_t segment)
            : m_segments(segments)
            , m_segment(segment)
        {}
        const std::vector<std::vector<T>> *m_segments = nullptr;
        std::size_t m_segment = 0;
        std::size_t m_offset = 0;
    };

    void push_back(const T &value)
    {
        if (m_segments.empty() || m_segments.back().size() == m_segments.back().capacity()) {
            m_segments.emplace_back();
            m_segments.back().reserve(std::size_t(kFirst) << (m_segments.size() - 1));
        }
        m_segments.back().push_back(value);
        ++m_size;
    }
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    const T &operator[](std::size_t i) const
    {
        // Segment s holds kFirst·2^s elements and starts at kFirst·(2^s − 1).
        const std::size_t s = std::size_t(std::bit_width(i / kFirst + 1)) - 1;
        return m_segments[s][i - kFirst * ((std::size_t(1) << s) - 1)];
    }
    const T &front() const { return m_segments.front().front(); }
    const T &back() const { return m_segments.back().back(); }
    const_iterator begin() const { return const_iterator(&m_segments, 0); }
    const_iterator end() const { return const_iterator(&m_segments, m_segments.size()); }

private:
    static constexpr std::size_t kFirst = 2;
    std::vector<std::vector<T>> m_segments;
    std::size_t m_size = 0;
};

} // namespace retrylab
