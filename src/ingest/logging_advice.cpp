#include "ingest/logging_advice.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace pgadvisor::ingest {
namespace {

// The prefix recommended: a timestamp with milliseconds and the pid (every
// reader's minimum), then the session and both transaction ids; no %a/%u/%d,
// which clients set (docs/ingest.md, "Misleading input").
constexpr const char* kRecommendedPrefix = "%m [%p] %c %v %x ";

double number_or(const std::string& text, double fallback) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    return end == text.c_str() ? fallback : v;
}

bool unreadable(const LoggingSettings& s, const char* name) {
    return std::find(s.unreadable.begin(), s.unreadable.end(), name) != s.unreadable.end();
}

// A comma-separated library list (shared_preload_libraries) naming one library.
bool lists_library(const std::string& list, const std::string& library) {
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t end = list.find(',', start);
        if (end == std::string::npos) end = list.size();
        std::string item = list.substr(start, end - start);
        const auto a = item.find_first_not_of(" \t\"");
        const auto b = item.find_last_not_of(" \t\"");
        if (a != std::string::npos && item.substr(a, b - a + 1) == library) return true;
        start = end + 1;
    }
    return false;
}

// jsonlog and csvlog carry the session and transaction ids as fields of their own.
bool writes_structured_log(const std::string& destination) {
    return lists_library(destination, "jsonlog") || lists_library(destination, "csvlog");
}

std::string duration_advice(const LoggingSettings& s) {
    if (unreadable(s, "log_min_duration_statement")) return {};
    const double min_duration = number_or(s.log_min_duration_statement, -1);
    const double sample_rate = number_or(s.log_transaction_sample_rate, 0);
    if (min_duration == 0) return {};
    const std::string sample =
        sample_rate > 0
            ? fmt::format(
                  "log_transaction_sample_rate = {} already logs every statement of that share of "
                  "transactions, whole",
                  s.log_transaction_sample_rate)
            : "or log_transaction_sample_rate = 0.01 for every statement of 1% of transactions, whole (a "
              "check-then-insert or a loop inside one transaction is seen; loops in autocommit need the window)";
    if (min_duration < 0)
        return fmt::format(
            "log_min_duration_statement is -1 (no statement is logged): set it to 0 for a window of normal "
            "traffic (every statement with its duration; costly on a busy server), {}",
            sample);
    return fmt::format(
        "log_min_duration_statement = {} ms logs only slower statements, not the many fast lookups of an N+1 loop: "
        "0 for a window, {}",
        s.log_min_duration_statement, sample);
}

std::string prefix_advice(const LoggingSettings& s) {
    if (unreadable(s, "log_line_prefix") || writes_structured_log(s.log_destination)) return {};
    const auto missing = missing_session_escapes(s.log_line_prefix);
    if (missing.empty()) return {};
    std::string names;
    for (const auto& m : missing) names += (names.empty() ? "" : " ") + m;
    return fmt::format(
        "log_line_prefix '{}' lacks {} (session, virtual transaction, transaction id; the session rules group by "
        "them): set log_line_prefix = '{}', or log_destination = 'jsonlog' (PostgreSQL 15+), whose records carry them",
        s.log_line_prefix, names, kRecommendedPrefix);
}

std::string auto_explain_advice(const LoggingSettings& s) {
    const bool loaded = lists_library(s.shared_preload_libraries, "auto_explain") ||
                        lists_library(s.session_preload_libraries, "auto_explain") ||
                        s.auto_explain_log_min_duration.has_value();
    constexpr const char* kSettings = "auto_explain.log_min_duration = '100ms' and auto_explain.log_format = 'json'";
    if (!loaded)
        return fmt::format(
            "auto_explain is not loaded: add it to shared_preload_libraries (a restart) with {}: the plans of slow "
            "statements as they ran are seq-scan's most exact evidence",
            kSettings);
    if (number_or(s.auto_explain_log_min_duration.value_or("-1"), -1) < 0)
        return fmt::format("auto_explain is loaded but auto_explain.log_min_duration is -1 (no plan is logged): set {}",
                           kSettings);
    return {};
}

}  // namespace

std::vector<std::string> missing_session_escapes(const std::string& log_line_prefix) {
    bool session = false, vxid = false, xid = false;
    for (std::size_t i = 0; i + 1 < log_line_prefix.size(); ++i) {
        if (log_line_prefix[i] != '%') continue;
        std::size_t j = i + 1;
        // %-10c and %10c: padding before the escape letter.
        while (j < log_line_prefix.size() &&
               (log_line_prefix[j] == '-' || std::isdigit(static_cast<unsigned char>(log_line_prefix[j]))))
            ++j;
        if (j >= log_line_prefix.size()) break;
        const char escape = log_line_prefix[j];
        session |= escape == 'c';
        vxid |= escape == 'v';
        xid |= escape == 'x';
        i = j;  // %% is skipped whole, so "%%c" is not %c
    }
    std::vector<std::string> missing;
    if (!session) missing.push_back("%c");
    if (!vxid) missing.push_back("%v");
    if (!xid) missing.push_back("%x");
    return missing;
}

std::vector<std::string> logging_advice(const LoggingSettings& settings) {
    std::vector<std::string> advice;
    for (auto sentence : {duration_advice(settings), prefix_advice(settings), auto_explain_advice(settings)})
        if (!sentence.empty()) advice.push_back(std::move(sentence));
    if (!settings.unreadable.empty()) {
        std::string names;
        for (const auto& n : settings.unreadable) names += (names.empty() ? "" : ", ") + n;
        advice.push_back(
            fmt::format("{} could not be read (the role needs pg_read_all_settings): no advice on them", names));
    }
    return advice;
}

}  // namespace pgadvisor::ingest
