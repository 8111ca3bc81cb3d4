// keep_until_exit leaves a command's objects to the process's exit only where
// main() said the process ends after the command; elsewhere (these tests, which
// run commands one after another) they are destroyed at their scope's end.
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "cli/keep_until_exit.hpp"

using namespace pgadvisor::cli;

namespace {

struct Counted {
    explicit Counted(int& destroyed) : destroyed_(&destroyed) {}
    Counted(Counted&& other) noexcept : destroyed_(std::exchange(other.destroyed_, nullptr)) {}
    ~Counted() {
        if (destroyed_) ++*destroyed_;
    }
    int* destroyed_;
};

}  // namespace

TEST_CASE("keep until exit: destroyed at its scope's end unless the process ends after the command", "[cli]") {
    int destroyed = 0;
    REQUIRE_FALSE(process_ends_after_command());
    {
        Counted c(destroyed);
        keep_until_exit(std::move(c));
    }
    CHECK(destroyed == 1);

    set_process_ends_after_command(true);
    {
        Counted c(destroyed);
        std::vector<std::unique_ptr<Counted>> rules;
        rules.push_back(std::make_unique<Counted>(destroyed));
        keep_until_exit(std::move(c));
        keep_until_exit(std::move(rules));
    }
    set_process_ends_after_command(false);
    CHECK(destroyed == 1);  // both kept: neither the object nor the vector's item was destroyed
}
