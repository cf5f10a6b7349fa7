// SPDX-License-Identifier: GPL-3.0-or-later
#include "thread_heap.h"

#include <cstdlib>
#include <vector>

namespace retrylab {

void reserveThreadHeap(std::size_t bytes)
{
    // Blocks under glibc's smallest mmap threshold (128 KiB), so that they come from the heap.
    constexpr std::size_t kBlock = 64 * 1024;
    std::vector<void *> blocks;
    blocks.reserve(bytes / kBlock);
    for (std::size_t done = 0; done < bytes; done += kBlock)
        if (void *p = std::malloc(kBlock))
            blocks.push_back(p);
    for (auto it = blocks.rbegin(); it != blocks.rend(); ++it)
        std::free(*it);
}

} // namespace retrylab
