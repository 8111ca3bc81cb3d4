#pragma once
// A sequence rule's state per open session, by the session's slot (workload::Execution::session_slot):
// found by index, not by hashing the session key for every statement. The workload gives an ended
// session's slot to a later session once the rules are told (Rule::end_session), so the vector
// grows with the sessions open at once, not with all sessions.

#include <cstddef>
#include <vector>

namespace pgadvisor::rules {

template <typename T>
class BySessionSlot {
public:
    // The slot's state, made (default) the first time the slot is asked for.
    T& at(std::size_t slot) {
        if (slot >= items_.size()) items_.resize(slot + 1);
        return items_[slot];
    }
    // The slot's state when it was ever made, else null; makes nothing.
    T* find(std::size_t slot) { return slot < items_.size() ? &items_[slot] : nullptr; }
    auto begin() { return items_.begin(); }
    auto end() { return items_.end(); }
    void clear() { items_.clear(); }

private:
    std::vector<T> items_;
};

}  // namespace pgadvisor::rules
