#pragma once
// Work on a round of independent items spread over a few threads, for the steps that run
// once at the end (writing or reading a digest's shapes: a parse each) while the other
// cores would wait.
//
// Takes: a count, a thread count, the work for one item. Gives: every item done when it returns.

#include <cstddef>
#include <functional>

namespace pgadvisor::workload {

// Runs work(i) for every i in [0, n) on up to `jobs` threads, the calling thread one of them:
// thread k takes every jobs-th item from k, so that the parts take about as long. Returns once
// all are done; then throws the first thread's exception, if one threw.
void for_each_on_threads(std::size_t n, unsigned jobs, const std::function<void(std::size_t)>& work);

}  // namespace pgadvisor::workload
