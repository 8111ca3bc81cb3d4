#include "cli/keep_until_exit.hpp"

#include <atomic>
#include <mutex>
#include <vector>

namespace pgadvisor::cli {
namespace {

std::atomic<bool> g_ends_after_command{false};

// Never destroyed (no exit-time destructor walks the objects it holds), and reachable.
struct Kept {
    std::mutex mu;
    std::vector<std::shared_ptr<void>> objects;
};
Kept& kept() {
    static Kept* k = new Kept;
    return *k;
}

}  // namespace

void set_process_ends_after_command(bool ends) { g_ends_after_command = ends; }
bool process_ends_after_command() { return g_ends_after_command; }

void keep_alive(std::shared_ptr<void> object) {
    Kept& k = kept();
    std::lock_guard lock(k.mu);
    k.objects.push_back(std::move(object));
}

}  // namespace pgadvisor::cli
