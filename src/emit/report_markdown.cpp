// The Markdown report, for a pull-request comment. Forges cap a comment's
// size (GitHub: 65,536 characters), so the report is built from whole items
// and stops before RenderOptions::markdown_limit, ending with a note that
// says how much was left out. Sizes are counted in bytes, never fewer than
// characters, so the cap holds for any text.

#include <algorithm>

#include <fmt/core.h>

#include "emit/report_common.hpp"
#include "emit/report_orm_fix.hpp"

namespace pgadvisor::emit::report_detail {
namespace {

// A table cell on one line: pipes and backticks escaped, HTML neutralised.
std::string cell(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '|': out += "\\|"; break;
            case '`': out += "\\`"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '\n': out += ' '; break;
            case '\r': break;
            default: out += c;
        }
    }
    return out;
}

// Running text outside tables: the same escapes, so a title cannot open code or HTML.
std::string text(const std::string& s) { return cell(s); }

std::size_t longest_backtick_run(const std::string& s) {
    std::size_t longest = 0, run = 0;
    for (char c : s) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return longest;
}

// A fence longer than any backtick run inside, so the content cannot close it.
std::string code_block(const std::string& code, const char* language) {
    const std::string fence(std::max<std::size_t>(3, longest_backtick_run(code) + 1), '`');
    std::string out = fence + language + "\n" + code;
    if (out.empty() || out.back() != '\n') out += '\n';
    return out + fence + "\n";
}

std::string inline_code(const std::string& s) {
    const std::string tick(longest_backtick_run(s) + 1, '`');
    return tick + " " + s + " " + tick;
}

// lint reads migration files, not a workload: its verdict and what it read, no workload table.
std::string lint_summary(const ReportInput& input) {
    int counts[3] = {0, 0, 0};
    for (const auto& f : findings_of(input)) ++counts[static_cast<int>(f.severity)];
    const std::size_t files = input.inputs.size(), findings = findings_of(input).size();
    return fmt::format(
        "**{}** at `--fail-on {}`: {} finding{} in {} migration file{} ({} error, {} warning, {} info).\n",
        input.failed ? "Lint failed" : "Lint passed", input.fail_on ? rules::to_string(*input.fail_on) : "none",
        findings, findings == 1 ? "" : "s", files, files == 1 ? "" : "s", counts[2], counts[1], counts[0]);
}

std::string header(const ReportInput& input) {
    const Totals t = totals_of(input);
    std::string out = fmt::format("## pgadvisor {}\n\n", input.command.empty() ? "report" : text(input.command));
    if (input.command == "lint") return out + lint_summary(input) + "\n";
    if (input.command == "check") {
        out += fmt::format("**{}** at `--fail-on {}`; {} finding(s) suppressed by the baseline.\n\n",
                           input.failed ? "Check failed" : "Check passed",
                           input.fail_on ? rules::to_string(*input.fail_on) : "none", input.baseline_suppressed);
    }
    out += "| Inputs read | Statements | Shapes | Sessions | DB time seen | Span | Findings | Recommendations |\n";
    out += "|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", t.inputs, t.statements, t.shapes,
                       t.sessions_known ? std::to_string(t.sessions) : "unknown", format_ms(t.db_ms),
                       format_ms(t.span_ms), findings_of(input).size(), recommendations_of(input).size());
    // One format call: g++ 12 warns of a false overlap (-Wrestrict) in "\n" + text(set) + "\n".
    if (const std::string set = index_set_sentence(input); !set.empty()) out += fmt::format("\n{}\n", text(set));
    if (const std::string orm = orm_sentence(input); !orm.empty()) out += fmt::format("\n{}\n", text(orm));
    return out;
}

std::string table_row(const advise::Recommendation& r) {
    return fmt::format("| {} | {} | {} | {} |\n", impact_title(impact_of(r.gain)), cell(r.title),
                       format_ms(r.gain.ms_per_hour), cell(advise::to_string(r.gain.method)));
}

std::string evidence_list(const std::vector<rules::StatementEvidence>& statements) {
    std::string out;
    for (const auto& s : statements) {
        out += fmt::format("- {} calls, mean {}, total {}", s.calls, format_ms(s.mean_ms), format_ms(s.total_ms));
        if (!s.locations.empty()) out += " at " + inline_code(location_text(s.locations.front()));
        if (s.loop_parent) out += " (the loop's parent query)";
        out += "\n\n" + code_block(s.normalized, "sql") + "\n";
    }
    return out;
}

std::string details_block(const ReportInput& input, std::size_t index) {
    const auto& r = recommendations_of(input)[index];
    const auto& g = r.gain;
    std::string out = fmt::format("<details>\n<summary><b>{}</b> ({} impact, {}/hour)</summary>\n\n", text(r.title),
                                  to_string(impact_of(g)), format_ms(g.ms_per_hour));
    const std::string sql = recommendation_sql(r);
    if (!sql.empty()) out += code_block(sql, "sql") + "\n";
    if (!r.duplicates_check_sql.empty())
        out += "Check for duplicates first:\n\n" + code_block(r.duplicates_check_sql, "sql") + "\n";
    if (r.kind == advise::RecommendationKind::CreateUniqueIndex && !r.review_sql.empty())
        out += "Then, in the application code (its review file):\n\n" + code_block(r.review_sql, "sql") + "\n";
    if (!r.review_note.empty()) out += "- For the caller: " + text(r.review_note) + "\n";
    if (const auto orm = orm_fix_of(input, r))
        out += fmt::format("\n{}:\n\n{}\n{}\n\n", orm_fix_heading(*orm), code_block(orm->code, orm_fix_language(*orm)),
                           text(orm->note));
    if (const std::string cost = advise::cost_only_gain(g); !cost.empty())
        out += fmt::format("- Gain: {}, confidence {}\n", text(cost), rules::to_string(g.confidence));
    else
        out += fmt::format("- Gain: {}/call, {}/hour, {} of db time, confidence {}\n", format_ms(g.ms_per_call),
                           format_ms(g.ms_per_hour), format_share(g.share_of_db_time), rules::to_string(g.confidence));
    out += fmt::format("- Method: {}{}\n", inline_code(advise::to_string(g.method)),
                       g.method_detail.empty() ? "" : " — " + text(g.method_detail));
    if (!r.write_cost.source.empty() || !r.write_cost.note.empty())
        out += fmt::format("- Write cost: {:.0f} writes/hour ({}){}\n", r.write_cost.writes_per_hour,
                           text(r.write_cost.source), r.write_cost.note.empty() ? "" : "; " + text(r.write_cost.note));
    if (!r.rationale.empty()) out += "- Why: " + text(r.rationale) + "\n";
    if (!r.review_sql.empty()) out += "- Rewrite check: " + text(advise::describe(r.rewrite_check)) + "\n";
    for (const WrittenFile* f : files_for(input, index))
        out += fmt::format("- Wrote {} ({})\n", inline_code(f->path), to_string(f->role));
    if (!r.statements.empty()) out += "\nEvidence:\n\n" + evidence_list(r.statements);
    return out + "\n</details>\n\n";
}

// A fenced block indented under a list item, so the fence belongs to it.
std::string indented_block(const std::string& block) {
    std::string indented;
    std::size_t start = 0;
    while (start < block.size()) {
        const std::size_t end = block.find('\n', start);
        indented += "  " + block.substr(start, end - start + 1);
        start = end + 1;
    }
    return indented;
}

// One line: the recommendation it links to carries the evidence and the fix.
std::string fixed_finding_item(const rules::Finding& f, const std::vector<std::string>& fixes) {
    std::string files;
    for (const auto& name : fixes) files += (files.empty() ? "" : ", ") + inline_code(name);
    return fmt::format("- **{}** {} {} — fixed by {}\n", rules::to_string(f.severity), inline_code(f.rule_id),
                       text(f.title), files);
}

std::string finding_item(const ReportInput& input, const rules::Finding& f) {
    std::string out = fmt::format("- **{}** {} {}", rules::to_string(f.severity), inline_code(f.rule_id),
                                  text(f.title));
    for (const auto& l : f.locations)
        if (!l.file.empty()) out += " — " + inline_code(location_text(l));
    out += "\n";
    if (!f.explanation.empty()) out += "  " + text(f.explanation) + "\n";
    if (!f.fix.empty()) out += "  Fix: " + text(f.fix) + "\n";
    if (!f.fix_sql.empty()) {
        out += "\n" + indented_block(code_block(f.fix_sql, "sql"));
    }
    if (const auto orm = orm_fix_of(input, f))
        out += fmt::format("\n  {} ({}):\n\n{}", orm_fix_heading(*orm), text(orm->note),
                           indented_block(code_block(orm->code, orm_fix_language(*orm))));
    return out;
}

std::string problem_item(const InputProblem& p) {
    std::string out = fmt::format("- {}: {}\n", text(p.kind), p.count);
    for (const auto& e : p.examples) out += "  - " + inline_code(e) + "\n";
    return out;
}

// A heading and its items; the heading goes out with the section's first item.
struct Section {
    std::string heading;
    std::vector<std::string> items;
    std::string after;  // closes the section (a blank line after a table)
};

std::vector<Section> sections(const ReportInput& input) {
    std::vector<Section> out;
    const auto order = recommendations_in_order(input);
    if (!order.empty()) {
        Section table{
            "\n### Recommendations\n\n| Impact | Recommendation | Gain / hour | Method |\n|---|---|---:|---|\n",
            {},
            "\n"};
        Section details{"### Details\n\n", {}, ""};
        for (std::size_t i : order) {
            table.items.push_back(table_row(recommendations_of(input)[i]));
            details.items.push_back(details_block(input, i));
        }
        out.push_back(std::move(table));
        out.push_back(std::move(details));
    }
    Section fixed{"### Findings a recommendation fixes\n\n", {}, "\n"};
    const auto fixes = fixed_by(input);
    for (std::size_t i : fixed_findings(input))
        fixed.items.push_back(fixed_finding_item(findings_of(input)[i], fixes[i]));
    out.push_back(std::move(fixed));
    // lint recommends nothing: its findings are all there is.
    Section findings{input.command == "lint" ? "### Findings\n\n" : "### Findings without a recommendation\n\n",
                     {},
                     "\n"};
    for (std::size_t i : unrecommended_findings(input))
        findings.items.push_back(finding_item(input, findings_of(input)[i]));
    out.push_back(std::move(findings));
    Section problems{"### Input problems\n\nSkipped; the rest was analysed.\n\n", {}, "\n"};
    for (const auto& p : input_problems(input)) problems.items.push_back(problem_item(p));
    out.push_back(std::move(problems));
    Section notes{"### Notes\n\n", {}, "\n"};
    for (const auto& n : input.notes) notes.items.push_back("- " + text(n) + "\n");
    out.push_back(std::move(notes));
    return out;
}

std::string truncation_note(std::size_t left_out) {
    return fmt::format(
        "\n---\n_Report cut to fit a comment: {} more item(s) left out. "
        "See the JSON, SARIF or text report for everything._\n",
        left_out);
}

// Every item, no cap.
std::string whole(const std::string& head, const std::vector<Section>& all) {
    std::string out = head;
    for (const auto& s : all) {
        if (s.items.empty()) continue;
        out += s.heading;
        for (const auto& item : s.items) out += item;
        out += s.after;
    }
    return out;
}

// Whole items in order until the next one (with its heading, the section's
// closing text and room for the note) would pass the limit; then the note.
std::string capped(const std::string& head, const std::vector<Section>& all, std::size_t limit) {
    const std::size_t reserve = truncation_note(static_cast<std::size_t>(-1)).size();
    std::string out = head;
    std::size_t left_out = 0;
    bool full = false;
    for (const auto& s : all) {
        bool opened = false;
        for (const auto& item : s.items) {
            const std::size_t need = (opened ? 0 : s.heading.size()) + item.size() + s.after.size() + reserve;
            if (full || out.size() + need > limit) {
                full = true;
                ++left_out;
                continue;
            }
            if (!opened) out += s.heading;
            opened = true;
            out += item;
        }
        if (opened) out += s.after;
    }
    out += truncation_note(left_out);
    // A limit smaller than the header and note themselves: cut hard rather than exceed it.
    if (out.size() > limit) out.resize(limit);
    return out;
}

}  // namespace

std::string render_markdown(const ReportInput& input, const RenderOptions& options) {
    const std::string head = header(input);
    const auto all = sections(input);
    std::string out = whole(head, all);
    if (out.size() <= options.markdown_limit) return out;
    return capped(head, all, options.markdown_limit);
}

}  // namespace pgadvisor::emit::report_detail
