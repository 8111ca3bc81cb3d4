#include "emit/report_common.hpp"

#include "catalog/index_sql.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/core.h>

#include "sql/quote.hpp"

namespace pgadvisor::emit::report_detail {

Impact impact_of(const advise::GainEstimate& gain) {
    if (gain.share_of_db_time >= kHighShare || gain.ms_per_hour >= kHighMsPerHour) return Impact::High;
    if (gain.share_of_db_time >= kMediumShare || gain.ms_per_hour >= kMediumMsPerHour) return Impact::Medium;
    return Impact::Low;
}

const char* to_string(Impact impact) {
    switch (impact) {
        case Impact::High: return "high";
        case Impact::Medium: return "medium";
        case Impact::Low: return "low";
    }
    return "low";
}

const char* impact_title(Impact impact) {
    switch (impact) {
        case Impact::High: return "High";
        case Impact::Medium: return "Medium";
        case Impact::Low: return "Low";
    }
    return "Low";
}

std::string format_ms(double ms) {
    if (!std::isfinite(ms)) return "unknown";
    const double a = std::fabs(ms);
    if (a < 1) return fmt::format("{:.2f} ms", ms);
    if (a < 1000) return fmt::format("{:.1f} ms", ms);
    if (a < 60'000) return fmt::format("{:.2f} s", ms / 1000);
    if (a < 3'600'000) return fmt::format("{:.1f} min", ms / 60'000);
    return fmt::format("{:.2f} h", ms / 3'600'000);
}

std::string format_share(double share) { return fmt::format("{:.1f}%", share * 100); }

std::string index_set_sentence(const ReportInput& input) {
    if (!input.index_set || input.index_set->indexes < 2) return {};
    const advise::IndexSetSummary& set = *input.index_set;
    return fmt::format(
        "the {} proposed indexes together save {} ({}/hour, {} of db time), each statement counted "
        "once: {}",
        set.indexes, format_ms(set.ms_total), format_ms(set.ms_per_hour), format_share(set.share_of_db_time),
        set.method);
}

std::string orm_sentence(const ReportInput& input) {
    if (!input.workload) return {};
    const workload::OrmDetection& orm = input.workload->orm;
    if (orm.orm == workload::Orm::Unknown && orm.driver.empty()) return {};
    if (orm.orm == workload::Orm::Unknown) return fmt::format("ORM: unknown, {}", orm.reason);
    return fmt::format("ORM: {} ({} confidence): {}", workload::display_name(orm.orm),
                       workload::to_string(orm.confidence), orm.reason);
}

int severity_rank(rules::Severity severity) {
    switch (severity) {
        case rules::Severity::Error: return 0;
        case rules::Severity::Warning: return 1;
        case rules::Severity::Info: return 2;
    }
    return 2;
}

const std::vector<rules::Finding>& findings_of(const ReportInput& input) {
    static const std::vector<rules::Finding> none;
    return input.findings ? *input.findings : none;
}

const std::vector<advise::Recommendation>& recommendations_of(const ReportInput& input) {
    static const std::vector<advise::Recommendation> none;
    return input.recommendations ? *input.recommendations : none;
}

std::vector<std::size_t> recommendations_in_order(const ReportInput& input) {
    const auto& recs = recommendations_of(input);
    std::vector<std::size_t> order(recs.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const Impact ia = impact_of(recs[a].gain), ib = impact_of(recs[b].gain);
        if (ia != ib) return ia < ib;
        return recs[a].gain.ms_total > recs[b].gain.ms_total;
    });
    return order;
}

std::vector<std::vector<std::size_t>> recommendations_by_finding(const ReportInput& input) {
    std::vector<std::vector<std::size_t>> by(findings_of(input).size());
    const auto& recs = recommendations_of(input);
    for (std::size_t r = 0; r < recs.size(); ++r)
        for (std::size_t f : recs[r].findings)
            if (f < by.size()) by[f].push_back(r);
    return by;
}

namespace {

// Finding indexes whose recommendations are (or are not) there, most severe first, else input order.
std::vector<std::size_t> findings_where(const ReportInput& input, bool recommended) {
    const auto& findings = findings_of(input);
    const auto by = recommendations_by_finding(input);
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < findings.size(); ++i)
        if (by[i].empty() != recommended) out.push_back(i);
    std::stable_sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) {
        return severity_rank(findings[a].severity) < severity_rank(findings[b].severity);
    });
    return out;
}

// The file that makes a recommendation's change, or its key when none was written.
std::string fixing_file(const ReportInput& input, std::size_t recommendation) {
    const WrittenFile* up = nullptr;
    const WrittenFile* review = nullptr;
    for (const WrittenFile* f : files_for(input, recommendation)) {
        if (f->role == FileRole::Up) up = f;  // the last: a unique index's check comes before its build
        if (f->role == FileRole::Review && !review) review = f;
    }
    if (up) return up->path;
    if (review) return review->path;
    return recommendations_of(input)[recommendation].key;
}

}  // namespace

std::vector<std::size_t> unrecommended_findings(const ReportInput& input) { return findings_where(input, false); }

std::vector<std::size_t> fixed_findings(const ReportInput& input) { return findings_where(input, true); }

std::vector<std::vector<std::string>> fixed_by(const ReportInput& input) {
    const auto by = recommendations_by_finding(input);
    std::vector<std::vector<std::string>> out(by.size());
    for (std::size_t f = 0; f < by.size(); ++f)
        for (std::size_t r : by[f]) {
            std::string name = fixing_file(input, r);
            if (std::find(out[f].begin(), out[f].end(), name) == out[f].end()) out[f].push_back(std::move(name));
        }
    return out;
}

std::vector<const WrittenFile*> files_for(const ReportInput& input, std::size_t recommendation) {
    std::vector<const WrittenFile*> out;
    for (const auto& f : input.migrations)
        if (f.recommendation == recommendation) out.push_back(&f);
    return out;
}

std::string recommendation_sql(const advise::Recommendation& rec) {
    switch (rec.kind) {
        case advise::RecommendationKind::CreateIndex:
        case advise::RecommendationKind::CreateUniqueIndex: return catalog::create_index_sql(rec.index);
        case advise::RecommendationKind::RewriteStatement: return rec.review_sql;
    }
    return "";
}

std::vector<InputProblem> input_problems(const ReportInput& input) {
    std::vector<InputProblem> out;
    if (!input.ingest) return out;
    std::set<std::string> listed;  // a file that could not be opened is among the issues too: said once
    for (const auto& file : input.ingest->files) {
        if (file.error.empty()) continue;
        out.push_back({"unreadable file", 1, {file.path + ": " + file.error}});
        listed.insert(out.back().examples.front());
    }
    for (const auto& [kind, issue] : input.ingest->issues.kinds()) {
        InputProblem p{kind, issue.count, {}};
        for (const auto& e : issue.examples) {
            if (listed.count(e)) --p.count;
            else p.examples.push_back(e);
        }
        if (p.count > 0) out.push_back(std::move(p));
    }
    return out;
}

Totals totals_of(const ReportInput& input) {
    Totals t;
    if (input.ingest) {
        t.inputs = input.ingest->files.size();
        t.statements = input.ingest->statements;
    }
    if (input.workload) {
        t.shapes = input.workload->shapes.size();
        t.sessions = input.workload->sessions;
        t.db_ms = input.workload->total_ms;
        t.span_ms = input.workload->span_ms;
        if (!input.ingest) t.statements = input.workload->summary.statements;
        t.sessions_known = t.sessions > 0 || t.statements == 0;
    }
    return t;
}

std::string sessions_text(const Totals& totals) {
    if (!totals.sessions_known) return "sessions unknown";
    return counted(totals.sessions, "session");
}

}  // namespace pgadvisor::emit::report_detail
