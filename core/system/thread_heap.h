// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>

namespace retrylab {

// Grows the calling thread's part of the C library's heap by `bytes` and gives it straight
// back, so that the thread's later allocations find the heap grown (core/engine/README.md,
// item 10). glibc grows a thread's heap a page at a time, each page an mprotect() that takes
// the process's memory-map lock for writing; freed, the memory goes back to the system with
// madvise() and the heap keeps its size. Elsewhere it only allocates and frees.
void reserveThreadHeap(std::size_t bytes);

} // namespace retrylab
