// The workload's list of shapes keeps each where it was put while it grows
// (a std::vector moved all 50,000 each time, issue 17), and behaves as the
// vector did for the code that reads it: index, iterate, copy, shrink.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "workload/stable_list.hpp"
#include "workload/workload.hpp"

using pgadvisor::workload::ShapeInfo;
using pgadvisor::workload::ShapeList;
using pgadvisor::workload::StableList;

namespace {

// Big enough that a block holds few, so the tests cross many block boundaries.
struct Big {
    std::array<char, 200'000> pad{};
    std::string name;
    explicit Big(std::string n = {}) : name(std::move(n)) {}
};

}  // namespace

TEST_CASE("a shape keeps its address while the list grows past its block", "[workload][stable-list]") {
    ShapeList shapes;
    shapes.emplace_back().fingerprint = "first";
    const ShapeInfo* first = &shapes.front();
    // Blocks are about 2 MB: 10,000 shapes of about 1 KB span several.
    for (int i = 1; i < 10'000; ++i) shapes.emplace_back().fingerprint = std::to_string(i);
    CHECK(&shapes.front() == first);
    CHECK(shapes[0].fingerprint == "first");
    CHECK(shapes.size() == 10'000);
    CHECK(shapes[9'999].fingerprint == "9999");
    CHECK(shapes.back().fingerprint == "9999");
    CHECK_THROWS_AS(shapes.at(10'000), std::out_of_range);
}

TEST_CASE("the list iterates, indexes and searches like the vector it replaced", "[workload][stable-list]") {
    StableList<Big> list;
    std::vector<const Big*> where;
    for (int i = 0; i < 50; ++i) where.push_back(&list.emplace_back(std::to_string(i)));
    for (int i = 0; i < 50; ++i) CHECK(&list[static_cast<std::size_t>(i)] == where[static_cast<std::size_t>(i)]);

    std::vector<std::string> names;
    for (const Big& b : list) names.push_back(b.name);
    REQUIRE(names.size() == 50);
    CHECK(names.front() == "0");
    CHECK(names.back() == "49");

    const auto found = std::find_if(list.begin(), list.end(), [](const Big& b) { return b.name == "37"; });
    REQUIRE(found != list.end());
    CHECK(found - list.begin() == 37);
    CHECK((list.end() - list.begin()) == 50);
    CHECK(std::count_if(list.begin(), list.end(), [](const Big& b) { return b.name.size() == 1; }) == 10);
}

TEST_CASE("copies are deep, moves take the items, shrinking destroys across blocks", "[workload][stable-list]") {
    auto counted = std::make_shared<int>(0);
    struct Holder {
        std::array<char, 300'000> pad{};
        std::shared_ptr<int> count;
    };
    StableList<Holder> list;
    for (int i = 0; i < 20; ++i) list.emplace_back().count = counted;
    CHECK(counted.use_count() == 21);

    StableList<Holder> copy = list;
    CHECK(copy.size() == 20);
    CHECK(counted.use_count() == 41);

    StableList<Holder> moved = std::move(copy);
    CHECK(moved.size() == 20);
    CHECK(copy.empty());
    CHECK(counted.use_count() == 41);

    moved.resize(3);  // 300 KB items: 6 to a block, so this frees blocks
    CHECK(moved.size() == 3);
    CHECK(counted.use_count() == 24);
    moved.resize(8);
    CHECK(moved[7].count == nullptr);
    moved.clear();
    list.clear();
    CHECK(counted.use_count() == 1);
    CHECK(list.empty());
}
