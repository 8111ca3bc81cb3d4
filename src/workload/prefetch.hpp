#pragma once
// Memory asked into the cache ahead of its use. On a log of many distinct
// statements, each statement's shape, its value reference and the rule state it
// meets lie in no cache: asked for a few statements ahead, their loads overlap
// instead of stalling one after the other (issue 17, docs/benchmarks.md).
// Only a hint: an address that is not mapped costs nothing and faults nothing.

#include <algorithm>
#include <cstddef>

namespace pgadvisor::workload {

inline constexpr std::size_t kCacheLineBytes = 64;

// Below this many shapes, what a statement reads stays in the caches from one statement of
// its shape to the next, and asking ahead only costs instructions: 2-3% more CPU on the
// 1M-statement log of a few dozen shapes (docs/benchmarks.md).
inline constexpr std::size_t kPrefetchFromShapes = 4096;

// The cache lines of [start, start + bytes); `for_write` when they are about to be written (a
// hint: on the baseline x86-64 this is built for, without PREFETCHW, GCC emits a read prefetch).
inline void prefetch_bytes(const void* start, std::size_t bytes, bool for_write = false) {
    const char* at = static_cast<const char*>(start);
    for (std::size_t i = 0; i < bytes; i += kCacheLineBytes) {
        if (for_write) __builtin_prefetch(at + i, 1);
        else __builtin_prefetch(at + i, 0);
    }
}

// The first `max_bytes` of a vector's (or a string's) items.
template <class Contiguous>
void prefetch_items(const Contiguous& items, std::size_t max_bytes, bool for_write = false) {
    if (!items.empty())
        prefetch_bytes(items.data(), std::min(items.size() * sizeof(*items.data()), max_bytes), for_write);
}

}  // namespace pgadvisor::workload
