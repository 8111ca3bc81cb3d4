#pragma once
// The workload part of a digest (issue 17, "Beyond one machine"): a Workload
// as JSON records, literal-free unless asked, and read back into a Workload
// that merges (workload_merge.hpp) like one built from the log.
//
// What is kept, per shape: identity, normalized text, the statement's neutral
// text (sql/neutral_constants.hpp: the rules get the same shape back, and no
// value of the log), calls, errors, times, the duration sketch, first / last /
// slowest call, a few file:line locations, which literals were constant in
// every call, the call spread (session and request keys as hashes). Per
// workload: the counts, the sessions' key hashes, the issues' counts, the ORM
// signals of executions. Only with show_literals: the constant literals'
// values, the sample values for live planning, the shape's own text, the
// issues' examples (their detail may quote the log). Never: logged plans (their
// filters hold values; docs say so), the standalone EXPLAIN plans.
//
// Takes: a Workload. Gives: JSON records; and back.

#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "workload/workload.hpp"

namespace pgadvisor::workload {

// The first record of a digest: its magic and format version, and whether it holds literal values.
// Version 2 (check-then-insert's pairs name the columns their SELECT tests IS NULL) is written;
// version 1 still reads (its pairs have none). docs/digest-format.md.
inline constexpr int kDigestFormatVersion = 2;
inline constexpr int kOldestDigestFormatVersion = 1;
nlohmann::json digest_header(bool show_literals);
// "" when `header` is a digest header of a version this pgadvisor reads; else why not, for a message
// naming the file.
std::string digest_header_problem(const nlohmann::json& header);

// A record's number as T; throws std::out_of_range when it is not a number or does not fit T
// (a float where an integer belongs, a value past T's range, an infinity). Every number a digest
// reader takes goes through here: nlohmann's get<T> converts such values unchecked, which is
// undefined behaviour on a hostile or damaged digest.
template <class T>
T number_from(const nlohmann::json& j) {
    if constexpr (std::is_floating_point_v<T>) {
        if (j.is_number()) {
            const double v = j.get<double>();
            if (std::isfinite(v) && std::abs(v) <= static_cast<double>(std::numeric_limits<T>::max()))
                return static_cast<T>(v);
        }
    } else if (j.is_number_unsigned()) {
        const auto v = j.get<std::uint64_t>();
        if (std::in_range<T>(v)) return static_cast<T>(v);
    } else if (j.is_number_integer()) {
        const auto v = j.get<std::int64_t>();
        if (std::in_range<T>(v)) return static_cast<T>(v);
    }
    throw std::out_of_range("a number that is out of range or of the wrong kind: " + j.dump().substr(0, 40));
}

// An array of such numbers.
template <class T>
std::vector<T> numbers_from(const nlohmann::json& j) {
    if (!j.is_array()) throw std::out_of_range("a list of numbers that is not a list");
    std::vector<T> out;
    out.reserve(j.size());
    for (const auto& v : j) out.push_back(number_from<T>(v));
    return out;
}

// The pieces other stages' digest records share (the rules' saved state, the ingest report's).
nlohmann::json location_json(const ingest::SourceLocation& location);
ingest::SourceLocation location_from(const nlohmann::json& j);  // throws nlohmann's errors on a bad record
nlohmann::json keys_json(const DistinctKeys& keys);             // the keys' stable hashes and the first key
DistinctKeys keys_from(const nlohmann::json& j);
// Input problems counted by kind; their examples only with show_literals (their detail may quote the log).
nlohmann::json issues_json(const ingest::Issues& issues, bool show_literals);
void issues_from(const nlohmann::json& j, ingest::Issues& issues);  // adds to `issues`
// Literal values as [known, text] pairs. Without show_literals each text is a token
// ("=1", "=2", ...) that only tells equal values from others: what a rule compares, no value.
nlohmann::json values_json(const std::vector<LiteralValue>& values, bool show_literals);
std::vector<LiteralValue> values_from(const nlohmann::json& j);

// A record as a digest holds it: one line of JSON, without its newline. Invalid UTF-8 (a file
// name, a statement's bytes) is replaced, not a reason to write nothing.
std::string record_line(const nlohmann::json& record);

// One record line per shape (in id order), then one for the workload's totals, handed to `line`
// in that order on the calling thread, a round of shapes at a time: a digest of 50,000 shapes
// held every record's document at once. A shape's line is made on up to `jobs` threads (its
// neutral text is a parse: half of writing the digest, on one core while the other waited).
void write_workload_lines(const Workload& workload, bool show_literals, unsigned jobs,
                          const std::function<void(const std::string&)>& line);

// The workload records describe, read one record at a time (a digest's shapes are not held as
// documents all at once). A shape's text is shaped again (a parse) a round of shapes at a time,
// on up to `jobs` threads.
class WorkloadRecords {
public:
    explicit WorkloadRecords(unsigned jobs = 1) : jobs_(jobs) {}
    // Whether the record is a shape or the totals and reads; `error` says why not.
    bool add(const nlohmann::json& record, std::string& error);
    // The workload; nullopt and `error` set when no totals record came.
    std::optional<Workload> finish(std::string& error);

private:
    void shape_round();  // shapes the texts read since the last round

    unsigned jobs_;
    Workload workload_;
    bool totals_ = false;
    struct ToShape {
        std::size_t id = 0;
        std::string text;  // empty: none (a statement that did not parse)
        bool too_deep = false;
    };
    std::vector<ToShape> to_shape_;
};

}  // namespace pgadvisor::workload
