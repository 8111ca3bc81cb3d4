#pragma once
// A list of T that never moves what it holds: items live in blocks of about
// 2 MB (one huge page), a new block when the last is full. std::vector moved
// every item each time it grew: for a workload's 50,000 shapes (1 KB each)
// that was a tenth of the thread that adds statements, in memmove and in the
// kernel zeroing the bigger copy (issue 17). std::deque holds one such item
// per block, 1,280 bytes for 1,040.
//
// Takes: T. Gives: push_back / emplace_back, [], at, size, empty, front, back,
// resize (grow only or shrink), clear, and random-access iterators. Items keep
// their address for the list's life; copies copy every item.

#include <cstddef>
#include <iterator>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace pgadvisor::workload {

template <typename T>
class StableList {
    static constexpr std::size_t kBlockBytes = std::size_t{2} << 20;
    static constexpr std::size_t kPerBlock = sizeof(T) >= kBlockBytes ? 1 : kBlockBytes / sizeof(T);

    // Raw storage for kPerBlock items; the list constructs and destroys them.
    struct Block {
        alignas(T) std::byte bytes[kPerBlock * sizeof(T)];
        T* at(std::size_t i) { return std::launder(reinterpret_cast<T*>(bytes) + i); }
    };

public:
    template <bool Const>
    class Iterator {
        using List = std::conditional_t<Const, const StableList, StableList>;

    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = std::conditional_t<Const, const T*, T*>;
        using reference = std::conditional_t<Const, const T&, T&>;

        Iterator() = default;
        Iterator(List* list, std::size_t at) : list_(list), at_(at) {}
        operator Iterator<true>() const requires(!Const) { return {list_, at_}; }

        reference operator*() const { return (*list_)[at_]; }
        pointer operator->() const { return &(*list_)[at_]; }
        reference operator[](difference_type n) const { return (*list_)[at_ + static_cast<std::size_t>(n)]; }
        Iterator& operator++() { return ++at_, *this; }
        Iterator operator++(int) { return {list_, at_++}; }
        Iterator& operator--() { return --at_, *this; }
        Iterator operator--(int) { return {list_, at_--}; }
        Iterator& operator+=(difference_type n) { return at_ += static_cast<std::size_t>(n), *this; }
        Iterator& operator-=(difference_type n) { return at_ -= static_cast<std::size_t>(n), *this; }
        friend Iterator operator+(Iterator i, difference_type n) { return i += n; }
        friend Iterator operator+(difference_type n, Iterator i) { return i += n; }
        friend Iterator operator-(Iterator i, difference_type n) { return i -= n; }
        friend difference_type operator-(const Iterator& a, const Iterator& b) {
            return static_cast<difference_type>(a.at_) - static_cast<difference_type>(b.at_);
        }
        friend bool operator==(const Iterator& a, const Iterator& b) { return a.at_ == b.at_; }
        friend auto operator<=>(const Iterator& a, const Iterator& b) { return a.at_ <=> b.at_; }

    private:
        List* list_ = nullptr;
        std::size_t at_ = 0;
    };
    using iterator = Iterator<false>;
    using const_iterator = Iterator<true>;
    using value_type = T;
    using size_type = std::size_t;

    StableList() = default;
    StableList(const StableList& other) {
        for (const T& item : other) push_back(item);
    }
    StableList(StableList&& other) noexcept : blocks_(std::move(other.blocks_)), size_(std::exchange(other.size_, 0)) {}
    StableList& operator=(StableList other) noexcept {
        std::swap(blocks_, other.blocks_);
        std::swap(size_, other.size_);
        return *this;
    }
    ~StableList() { clear(); }

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    T& operator[](std::size_t i) { return *blocks_[i / kPerBlock]->at(i % kPerBlock); }
    const T& operator[](std::size_t i) const { return *blocks_[i / kPerBlock]->at(i % kPerBlock); }
    T& at(std::size_t i) { return i < size_ ? (*this)[i] : throw std::out_of_range("StableList::at"); }
    const T& at(std::size_t i) const { return i < size_ ? (*this)[i] : throw std::out_of_range("StableList::at"); }
    T& front() { return (*this)[0]; }
    const T& front() const { return (*this)[0]; }
    T& back() { return (*this)[size_ - 1]; }
    const T& back() const { return (*this)[size_ - 1]; }

    iterator begin() { return {this, 0}; }
    iterator end() { return {this, size_}; }
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, size_}; }

    template <typename... Args>
    T& emplace_back(Args&&... args) {
        // new Block, not make_unique's Block{}: that would zero the 2 MB before any item is in it.
        if (size_ == blocks_.size() * kPerBlock) blocks_.push_back(std::unique_ptr<Block>(new Block));
        T* item = new (blocks_.back()->at(size_ % kPerBlock)) T(std::forward<Args>(args)...);
        ++size_;
        return *item;
    }
    void push_back(const T& item) { emplace_back(item); }
    void push_back(T&& item) { emplace_back(std::move(item)); }

    void pop_back() {
        --size_;
        blocks_[size_ / kPerBlock]->at(size_ % kPerBlock)->~T();
        if (size_ % kPerBlock == 0) blocks_.pop_back();
    }
    void resize(std::size_t n) {
        while (size_ > n) pop_back();
        while (size_ < n) emplace_back();
    }
    void clear() { resize(0); }

private:
    std::vector<std::unique_ptr<Block>> blocks_;
    std::size_t size_ = 0;
};

}  // namespace pgadvisor::workload
