#include "workload/parallel_for.hpp"

#include <algorithm>
#include <exception>
#include <thread>
#include <vector>

namespace pgadvisor::workload {

void for_each_on_threads(std::size_t n, unsigned jobs, const std::function<void(std::size_t)>& work) {
    const std::size_t threads = std::clamp<std::size_t>(jobs, 1, std::max<std::size_t>(n, 1));
    std::vector<std::exception_ptr> errors(threads);
    const auto part = [&](std::size_t k) {
        try {
            for (std::size_t i = k; i < n; i += threads) work(i);
        } catch (...) {
            errors[k] = std::current_exception();
        }
    };
    std::vector<std::thread> helpers;
    for (std::size_t k = 1; k < threads; ++k) helpers.emplace_back(part, k);
    part(0);
    for (auto& t : helpers) t.join();
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace pgadvisor::workload
