#pragma once
// std::optional's interface with the value on the heap: an empty one costs one
// pointer where std::optional<T> holds sizeof(T) inline. For a QueryShape's
// rarely set parts (InsertInfo, 176 bytes): a workload keeps one shape per
// distinct statement, 50,000 on a large log, and most are no INSERT (issue 17).
//
// Takes: a T. Gives: has_value / bool, *, ->, emplace, reset, assignment from a T;
// copies copy the value (value semantics, as std::optional).

#include <memory>
#include <utility>

namespace pgadvisor::sql {

template <typename T>
class OptionalBox {
public:
    OptionalBox() = default;
    OptionalBox(const OptionalBox& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
    OptionalBox(OptionalBox&&) noexcept = default;
    OptionalBox& operator=(const OptionalBox& other) {
        if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
        return *this;
    }
    OptionalBox& operator=(OptionalBox&&) noexcept = default;
    OptionalBox& operator=(T value) {
        value_ = std::make_unique<T>(std::move(value));
        return *this;
    }

    bool has_value() const { return value_ != nullptr; }
    explicit operator bool() const { return has_value(); }
    T& operator*() { return *value_; }
    const T& operator*() const { return *value_; }
    T* operator->() { return value_.get(); }
    const T* operator->() const { return value_.get(); }
    template <typename... Args>
    T& emplace(Args&&... args) {
        value_ = std::make_unique<T>(std::forward<Args>(args)...);
        return *value_;
    }
    void reset() { value_.reset(); }

private:
    std::unique_ptr<T> value_;
};

}  // namespace pgadvisor::sql
