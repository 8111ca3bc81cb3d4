#include "advise/advise.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <set>

#include "advise/candidates.hpp"
#include "advise/gain_model.hpp"
#include "catalog/index_sql.hpp"
#include "server/rewrite_check.hpp"
#include "server/whatif.hpp"
#include "sql/text.hpp"
#include "rules/registry.hpp"

namespace pgadvisor::advise {
namespace {

bool reads(const sql::QueryShape& s) {
    return s.kind == sql::StatementKind::Select || s.kind == sql::StatementKind::Update ||
           s.kind == sql::StatementKind::Delete;
}

using sql::join;

std::string candidate_key(const Candidate& c) {
    return fmt::format("{}:{}{}{}{}", c.index.unique ? "unique-index" : "index",
                       c.index.schema.empty() ? "" : c.index.schema + ".", c.index.table, keys_display(c.index),
                       c.index.predicate.empty() ? "" : " WHERE " + c.index.predicate);
}

struct Scale {
    double span_ms = 0;
    double total_ms = 0;
    double per_hour(double ms) const { return span_ms > 0 ? ms * 3.6e6 / span_ms : 0; }
    double share(double ms) const { return total_ms > 0 ? std::min(1.0, ms / total_ms) : 0; }
};

void finish_gain(GainEstimate& g, const Scale& scale) {
    g.ms_per_hour = scale.per_hour(g.ms_total);
    g.share_of_db_time = scale.share(g.ms_total);
}

// Evidence of the findings a recommendation serves, each shape once.
std::vector<rules::StatementEvidence> evidence_of(const std::vector<rules::Finding>& findings,
                                                  const std::vector<std::size_t>& which) {
    std::vector<rules::StatementEvidence> out;
    std::set<std::string> seen;
    for (auto i : which)
        for (const auto& s : findings[i].statements)
            if (seen.insert(s.fingerprint.empty() ? s.normalized : s.fingerprint).second) out.push_back(s);
    return out;
}

std::vector<std::string> rule_ids_of(const std::vector<rules::Finding>& findings,
                                     const std::vector<std::size_t>& which) {
    std::vector<std::string> ids;
    for (auto i : which)
        if (std::find(ids.begin(), ids.end(), findings[i].rule_id) == ids.end()) ids.push_back(findings[i].rule_id);
    return ids;
}

// ---- write cost ------------------------------------------------------------

struct TableWrites {
    double inserts = 0, updates = 0, deletes = 0;   // rows, over the observed workload
    std::map<std::string, double> updated_columns;  // rows updated per SET column
    double reads = 0;                               // calls of statements that read the table
};

bool names_table(const sql::TableRef& t, const IndexDefinition& ix) {
    return t.name == ix.table && (t.schema.empty() || ix.schema.empty() || t.schema == ix.schema);
}

TableWrites observed_writes(const workload::Workload& w, const IndexDefinition& ix) {
    TableWrites tw;
    for (const auto& s : w.shapes) {
        if (!s.shape) continue;
        const double calls = static_cast<double>(s.stats.calls);
        for (const auto& t : s.shape->tables) {
            if (!names_table(t, ix)) continue;
            if (!t.written) {
                tw.reads += calls;
                continue;
            }
            switch (s.shape->kind) {
                case sql::StatementKind::Insert: {
                    const int rows = s.shape->insert && s.shape->insert->rows > 0 ? s.shape->insert->rows : 1;
                    tw.inserts += calls * rows;
                    break;
                }
                case sql::StatementKind::Update:
                    tw.updates += calls;
                    for (const auto& c : s.shape->set_columns) tw.updated_columns[c] += calls;
                    break;
                case sql::StatementKind::Delete: tw.deletes += calls; break;
                default: break;
            }
        }
    }
    return tw;
}

WriteCost write_cost_of(const IndexDefinition& ix, const workload::Workload* w, const catalog::Table* table,
                        double stats_age_days, const Scale& scale, const CostModel& model) {
    WriteCost wc;
    double reads = 0;
    double inserts = 0, key_updates = 0, other = 0;
    if (w) {
        TableWrites tw = observed_writes(*w, ix);
        reads = tw.reads;
        if (tw.inserts + tw.updates + tw.deletes > 0 && scale.span_ms > 0) {
            inserts = scale.per_hour(tw.inserts);
            std::vector<std::string> columns = ix.include;  // an UPDATE of an INCLUDE column is not HOT either
            for (const auto& k : ix.keys) columns.push_back(k.column);
            for (const auto& col : columns)
                if (auto it = tw.updated_columns.find(col); it != tw.updated_columns.end())
                    key_updates = std::max(key_updates, scale.per_hour(it->second));
            other = scale.per_hour(tw.updates + tw.deletes) - key_updates;
            wc.source = "observed in the log";
        }
    }
    // pg_stat_user_tables only when it has counted for a day at least: a
    // server restarted or reset an hour ago after a bulk load would make any
    // table look write-heavy.
    if (wc.source.empty() && table && table->inserts >= 0 && table->updates >= 0 && table->deletes >= 0 &&
        stats_age_days >= 1) {
        // pg_stat_user_tables: cumulative counts over the time the statistics have been counting.
        const double hours = stats_age_days * 24;
        wc.source = fmt::format("pg_stat_user_tables, over {:.1f} days", stats_age_days);
        inserts = static_cast<double>(table->inserts) / hours;
        other = static_cast<double>(table->updates + table->deletes) / hours;
    }
    if (wc.source.empty()) {
        wc.source = "unknown";
        wc.note =
            "no writes to this table were seen; each INSERT, and each UPDATE that is not HOT, will add one entry "
            "to this index";
        return wc;
    }
    wc.writes_per_hour = inserts + key_updates + std::max(0.0, other);
    // Writes and reads counted in the same log: a table written more than it is read gets one new index fewer.
    wc.written_more_than_read = reads > 0 && wc.source == "observed in the log" &&
                                wc.writes_per_hour > scale.per_hour(reads);
    const double entries = inserts + key_updates;
    wc.note = fmt::format(
        "{:.0f} INSERT rows/hour and {:.0f} UPDATEs/hour of its columns each add an index entry: about {:.2f} ms/hour "
        "at {} ms per entry (docs/gain-model.md)",
        inserts, key_updates, entries * model.write_entry_ms, model.write_entry_ms);
    return wc;
}

// ---- live what-if ------------------------------------------------------------

struct LivePlan {
    std::vector<server::WhatIfStatement> statements;
    std::map<std::string, std::size_t> by_fingerprint;
};

// With which values a live statement was planned, for the method's words.
std::string planned_with(const LivePlan& lp, std::size_t statement) {
    return lp.statements[statement].param_sets.empty() && lp.statements[statement].generic_parameters > 0
               ? "on its generic plan (no parameter values were logged)"
               : "with the real parameter values from the log";
}

// The $n of a normalized statement: the parameters it had, then one per constant.
std::size_t parameter_count(const workload::ShapeInfo& s) {
    if (!s.shape) return 0;
    int max_param = 0;
    std::size_t constants = 0;
    for (const auto& l : s.shape->literals) {
        if (l.kind == sql::LiteralKind::Parameter) max_param = std::max(max_param, l.param_number);
        else ++constants;
    }
    return static_cast<std::size_t>(max_param) + constants;
}

std::optional<std::size_t> live_statement(LivePlan& lp, const workload::ShapeInfo& s, std::size_t sets) {
    if (auto it = lp.by_fingerprint.find(s.fingerprint); it != lp.by_fingerprint.end()) return it->second;
    server::WhatIfStatement ws;
    ws.statement = s.normalized;
    ws.param_sets = workload::parameter_sets(s, sets);
    if (ws.param_sets.empty()) ws.generic_parameters = parameter_count(s);  // no values logged: its generic plan
    if (ws.param_sets.empty() && ws.generic_parameters == 0) return std::nullopt;
    lp.by_fingerprint[s.fingerprint] = lp.statements.size();
    lp.statements.push_back(std::move(ws));
    return lp.statements.size() - 1;
}

GainMethod weaker(GainMethod a, GainMethod b) {
    auto rank = [](GainMethod m) {
        switch (m) {
            case GainMethod::HypoPG: return 5;
            case GainMethod::RealIndexRolledBack: return 5;
            case GainMethod::PlanActualTimes: return 3;
            case GainMethod::CostModel: return 2;
            case GainMethod::RoundTrips: return 4;
            case GainMethod::None: return 0;
        }
        return 0;
    };
    if (a == GainMethod::None) return b;
    if (b == GainMethod::None) return a;
    return rank(a) <= rank(b) ? a : b;
}

rules::Confidence confidence_of(GainMethod m) {
    switch (m) {
        case GainMethod::HypoPG:
        case GainMethod::RealIndexRolledBack: return rules::Confidence::High;
        case GainMethod::PlanActualTimes:
        case GainMethod::RoundTrips: return rules::Confidence::Medium;
        default: return rules::Confidence::Low;
    }
}

// What one index saves one statement it serves, and how that was found.
struct StatementGain {
    double saved_per_call = 0;
    GainMethod method = GainMethod::None;
    std::string how;
    double cost_before = 0, cost_after = 0;  // planned live; 0 otherwise
    double cost_saved = 0;                   // before - after when its plan uses the index
    // Whether this index's recommendation counts the saving. With the whole
    // set planned together, a statement's saving goes to the index its plan
    // uses; offline, to the proposed index that saves it most. Never twice.
    bool counted = true;
    std::string given_to;  // !counted: why, in words ("its plan uses ix_b with the whole set")
};

struct Work {
    Candidate candidate;
    Recommendation rec;
    std::vector<const workload::ShapeInfo*> served;      // statement shapes that read the table
    std::vector<std::optional<std::size_t>> live_index;  // parallel to served: index into LivePlan::statements
    std::optional<server::TrialOutcome> live;
    std::vector<StatementGain> gains;    // parallel to served, once weighed
    std::optional<GainEstimate> upsert;  // a unique index: the UPSERT's own gain (its round trips)
    double write_ms_total = 0;           // its write cost over the observed span (0 when unknown)
    bool dropped = false;
};

double calls_of(const workload::ShapeInfo& s) { return static_cast<double>(s.stats.calls); }

// The recommendation's gain from its statements' gains, each counted statement once.
GainEstimate summarize(const Work& w) {
    GainEstimate g;
    std::vector<std::string> details;
    long long calls = 0;
    for (std::size_t i = 0; i < w.served.size() && i < w.gains.size(); ++i) {
        const workload::ShapeInfo& s = *w.served[i];
        const StatementGain& sg = w.gains[i];
        g.method = weaker(g.method, sg.method);
        if (!sg.counted) {
            details.push_back(
                fmt::format("{} ({} calls): counted elsewhere: {}", s.fingerprint, s.stats.calls, sg.given_to));
            continue;
        }
        g.ms_total += sg.saved_per_call * calls_of(s);
        g.cost_before += sg.cost_before;
        g.cost_after += sg.cost_after;
        if (s.stats.timed_calls == 0) g.untimed_cost_saved += sg.cost_saved;
        calls += s.stats.calls;
        details.push_back(fmt::format("{} ({} calls): {:.3f} ms saved per call; {}", s.fingerprint, s.stats.calls,
                                      sg.saved_per_call, sg.how));
    }
    g.ms_per_call = calls > 0 ? g.ms_total / static_cast<double>(calls) : 0;
    g.method_detail = join(details, "; ");
    g.confidence = confidence_of(g.method);
    if (!w.upsert) return g;
    // A unique index: the UPSERT's gain, plus what it saves the other statements that read by its columns.
    GainEstimate u = *w.upsert;
    if (!w.served.empty()) {
        u.ms_total += g.ms_total;
        if (g.ms_total > w.upsert->ms_total) u.method = g.method;
        u.method_detail += "; and for the other statements that read by these columns: " + g.method_detail;
        u.cost_before = g.cost_before, u.cost_after = g.cost_after, u.untimed_cost_saved = g.untimed_cost_saved;
    }
    u.confidence = confidence_of(u.method);
    long long upsert_calls = 0;
    for (const auto& st : w.rec.statements) upsert_calls = std::max(upsert_calls, st.calls);
    u.ms_per_call = upsert_calls > 0 ? u.ms_total / static_cast<double>(upsert_calls) : 0;
    return u;
}

// A server error without what it quotes: messages such as `invalid input
// syntax for type integer: "abc"` echo parameter values from the log.
std::string error_gist(std::string error) {
    std::string when;  // what-if says which planning failed: "before: ..." / "after: ..."
    for (const char* phase : {"before: ", "after: "})
        if (error.rfind(phase, 0) == 0) {
            when = std::string(phase).substr(0, std::string(phase).size() - 2);
            error.erase(0, std::string(phase).size());
        }
    for (const char* prefix : {"ERROR:", "FATAL:"})
        if (error.rfind(prefix, 0) == 0) error.erase(0, std::string(prefix).size());
    error.erase(0, std::min(error.size(), error.find_first_not_of(' ')));
    std::string gist = error.substr(0, error.find_first_of(":\"\n"));
    while (!gist.empty() && (gist.back() == ' ' || gist.back() == '\r')) gist.pop_back();
    if (gist.empty()) gist = "server error";
    return when.empty() ? gist : gist + ", planning " + when + " the index";
}

// What the index saves each statement it serves: live costs where the server
// planned them, else the logged plan, else the cost model. Dropped when the
// server planned its statements and would use it for none.
void estimate_index_gain(Work& w, const LivePlan& lp, bool live_mode_real, const CostModel& model) {
    w.gains.clear();
    bool any_used = false, any_live = false;
    for (std::size_t i = 0; i < w.served.size(); ++i) {
        const workload::ShapeInfo& s = *w.served[i];
        const double mean = s.stats.mean_ms();
        StatementGain sg;
        if (w.live && i < w.live_index.size() && w.live_index[i] && i < w.live->costs.size()) {
            const server::StatementCost& c = w.live->costs[i];
            if (c.error.empty() && c.before > 0) {
                any_live = true;
                sg.method = live_mode_real ? GainMethod::RealIndexRolledBack : GainMethod::HypoPG;
                sg.cost_before = c.before;
                sg.cost_after = c.after;
                if (c.uses_index && c.after < c.before) {
                    any_used = true;
                    sg.cost_saved = c.before - c.after;
                    sg.saved_per_call = mean * (1 - c.after / c.before);
                    sg.how = fmt::format("planner cost {:.1f} -> {:.1f} ({}) {}, ", c.before, c.after,
                                         live_mode_real ? "a real index, rolled back" : "HypoPG",
                                         planned_with(lp, *w.live_index[i]));
                    if (!c.basis.empty()) sg.how += "(" + c.basis + "), ";
                    sg.how += s.stats.timed_calls > 0
                                  ? fmt::format("the ratio applied to its measured mean {:.3f} ms", mean)
                                  : fmt::format(
                                        "{:.0f}% of the statement's cost; no duration was logged for it, so "
                                        "its gain is in planner cost units, not ms",
                                        100 * (1 - c.after / c.before));
                } else {
                    sg.how = fmt::format("the planner would not use the index for it (cost {:.1f} -> {:.1f})", c.before,
                                         c.after);
                }
            }
        }
        if (sg.method == GainMethod::None && s.plan)
            if (auto pg = gain_from_plan(*s.plan, w.candidate, mean, model)) {
                sg.method = GainMethod::PlanActualTimes, sg.saved_per_call = pg->saved_ms_per_call, sg.how = pg->detail;
                any_used |= sg.saved_per_call > 0;
            }
        if (sg.method == GainMethod::None)
            if (auto cm = gain_from_cost_model(w.candidate, mean, model)) {
                sg.method = GainMethod::CostModel, sg.saved_per_call = cm->saved_ms_per_call, sg.how = cm->detail;
                any_used |= sg.saved_per_call > 0;
            }
        if (sg.method == GainMethod::None)
            sg.how = "not estimated: no live server, no plan with actual times, no row count";
        w.gains.push_back(std::move(sg));
    }
    if (any_live && !any_used && !w.candidate.index.unique) w.dropped = true;  // the planner would not use it
    w.rec.gain = summarize(w);
}

// ---- the steps ---------------------------------------------------------------

// One advise() call. The findings' index needs become candidates, each
// candidate a unit of Work that the later steps weigh (gain, write cost, the
// per-table cap) and drop with a note or keep; rewrites ride along. Each step
// is a method that says why it is there.
class Advisor {
public:
    Advisor(const AdviceInput& in, const AdviseOptions& opt) : in_(in), opt_(opt), findings_(*in.findings) {
        if (in.workload) scale_ = {in.workload->span_ms, in.workload->total_ms};
    }

    Advice run() {
        for (auto& c : index_candidates()) work_.push_back(work_for(std::move(c)));
        name_indexes();
        if (!opt_.conninfo.empty() && in_.catalog_is_live && !work_.empty()) plan_live();
        for (auto& w : work_) weigh(w);
        choose_set();
        attribute_offline(plan_set());
        settle_gains();
        link_served_findings();
        for (auto& w : work_)
            if (!w.dropped) out_.recommendations.push_back(titled(std::move(w.rec)));
        add_rewrites();
        if (!opt_.conninfo.empty()) check_rewrites();
        rank();
        return std::move(out_);
    }

private:
    // 1-3. A candidate for each index need of a rule that proposes indexes (its
    // statements are what the index gains on), not those an existing index
    // serves, merged: one index can serve several needs.
    std::vector<Candidate> index_candidates() {
        std::vector<Candidate> candidates;
        for (std::size_t i = 0; i < findings_.size(); ++i) {
            const rules::RuleEntry* rule = rules::find_rule(findings_[i].rule_id);
            if (!rule || !rule->proposes_index) continue;
            for (const auto& need : findings_[i].index_needs)
                if (auto c = candidate_from_need(need, i, in_.workload, in_.catalog); c && !already_served(*c))
                    candidates.push_back(std::move(*c));
        }
        std::vector<Candidate> merged = merge_candidates(std::move(candidates));
        attach_covered_needs(merged);
        return merged;
    }

    // A rule that proposes no index of its own (fk-without-index: its evidence
    // is the schema alone) still names the index it needs. When a proposed
    // index can serve that need too, ordering its free equality keys so that it
    // does, the finding attaches to it: one index, and the report says it also
    // covers the foreign key. A unique candidate keeps its ON CONFLICT order.
    void attach_covered_needs(std::vector<Candidate>& proposed) const {
        for (std::size_t i = 0; i < findings_.size(); ++i) {
            const rules::RuleEntry* rule = rules::find_rule(findings_[i].rule_id);
            if (!rule || rule->proposes_index) continue;
            for (const auto& need : findings_[i].index_needs) {
                const auto c = candidate_from_need(need, i, in_.workload, in_.catalog);
                if (!c) continue;
                for (auto& p : proposed)
                    if (attach(p, *c, findings_[i])) break;
            }
        }
    }

    // The need's finding joins the proposal when the proposal serves it (keys
    // reordered if free). serves() words its sentence for statements; a schema
    // finding gets its own.
    static bool attach(Candidate& proposed, const Candidate& need, const rules::Finding& finding) {
        Candidate merged = proposed;
        if (!serves(merged, need, true)) return false;
        const bool reordered = merged.index.keys != proposed.index.keys;
        if (proposed.index.unique && reordered) return false;
        merged.rationale = proposed.rationale;
        merged.rationale.push_back(
            reordered
                ? fmt::format("{} first (the statements accept their equality columns in any order): the index "
                              "then also answers the {} finding \"{}\".",
                              keys_display(need.index), finding.rule_id, finding.title)
                : fmt::format("Its leading keys also answer the {} finding \"{}\".", finding.rule_id, finding.title));
        proposed = std::move(merged);
        return true;
    }

    // An index the schema already has is no proposal; the user hears why.
    bool already_served(const Candidate& c) {
        if (!in_.catalog) return false;
        const catalog::Index* ix = existing_index_serving(*in_.catalog, c);
        if (ix)
            out_.notes.push_back(fmt::format("{} {}: already served by the existing index {}, not proposed",
                                             c.index.table, keys_display(c.index), ix->name));
        return ix != nullptr;
    }

    // The recommendation a candidate would become, and the logged shapes whose gain decides it.
    Work work_for(Candidate c) const {
        Work w;
        w.candidate = std::move(c);
        Recommendation& r = w.rec;
        r.kind = w.candidate.index.unique ? RecommendationKind::CreateUniqueIndex : RecommendationKind::CreateIndex;
        r.index = w.candidate.index;
        r.findings = w.candidate.findings;
        std::sort(r.findings.begin(), r.findings.end());
        r.rule_ids = rule_ids_of(findings_, r.findings);
        r.statements = evidence_of(findings_, r.findings);
        // An index's evidence is the statements it serves (a N+1 finding also lists
        // the loop's parent query, on another table); a unique index keeps the others
        // too (the UPSERT it enables replaces the check and the write), but a loop's parent.
        std::erase_if(r.statements, [&](const rules::StatementEvidence& e) {
            const bool served = e.fingerprint.empty() ||
                                std::find(w.candidate.fingerprints.begin(), w.candidate.fingerprints.end(),
                                          e.fingerprint) != w.candidate.fingerprints.end();
            return !served && (!w.candidate.index.unique || e.loop_parent);
        });
        r.rationale = join(w.candidate.rationale, " ");
        r.key = candidate_key(w.candidate);
        if (in_.workload)
            for (const auto& fp : w.candidate.fingerprints)
                if (const auto* s = in_.workload->find(fp); s && s->shape && reads(*s->shape)) w.served.push_back(s);
        return w;
    }

    // Names first: the real-index what-if builds them under these names (and rolls back).
    void name_indexes() {
        std::vector<IndexDefinition*> defs;
        for (auto& w : work_) defs.push_back(&w.rec.index);
        catalog::assign_index_names(defs, in_.catalog);
    }

    // 4. Live what-if: every served statement planned with real values, before and after each index.
    void plan_live() {
        std::vector<server::WhatIfTrial> trials;
        std::vector<std::size_t> trial_work;
        for (std::size_t wi = 0; wi < work_.size(); ++wi)
            if (auto t = trial_for(work_[wi], lp_)) {
                trials.push_back(std::move(*t));
                trial_work.push_back(wi);
            }
        if (trials.empty()) return;
        const server::WhatIfResult result = what_if(lp_, trials, trial_work);
        if (!result.connection_error.empty()) {
            out_.notes.push_back("what-if planning skipped: " + result.connection_error);
            return;
        }
        if (result.trials.size() != trials.size()) return;
        live_ok_ = true;
        std::set<std::string> unplanned;
        for (std::size_t t = 0; t < trials.size(); ++t) take_outcome(work_[trial_work[t]], result.trials[t], unplanned);
    }

    // One index's trial: the statements it serves that have a complete logged parameter set.
    // HypoPG is given the very text the up migration holds (emit writes catalog::create_index_sql
    // of the same index; HypoPG ignores CONCURRENTLY and IF NOT EXISTS), so what was planned is
    // what will be built.
    std::optional<server::WhatIfTrial> trial_for(Work& w, LivePlan& lp) const {
        server::WhatIfTrial t;
        t.create_index_sql = catalog::create_index_sql(w.rec.index);
        for (const auto* s : w.served) {
            w.live_index.push_back(live_statement(lp, *s, opt_.sample_sets));
            if (w.live_index.back()) t.statements.push_back(*w.live_index.back());
        }
        if (t.statements.empty()) return std::nullopt;
        return t;
    }

    // HypoPG first; without it a real index inside a rolled-back transaction, only
    // when the user allowed it: that locks the table against writes while it builds.
    server::WhatIfResult what_if(const LivePlan& lp, std::vector<server::WhatIfTrial> trials,
                                 const std::vector<std::size_t>& trial_work) {
        server::WhatIfOptions wo;
        wo.conninfo = opt_.conninfo;
        wo.statement_timeout_ms = opt_.statement_timeout_ms;
        wo.mode = server::WhatIfMode::HypoPG;
        auto result = server::what_if(wo, lp.statements, trials);
        if (!result.connection_error.empty() || result.hypopg_available) return result;
        if (!opt_.allow_real_index) {
            out_.notes.push_back(fmt::format(
                "HypoPG is not available ({}): gains are estimated offline; --allow-real-index builds each "
                "index inside a rolled-back transaction instead (it locks the table against writes while it "
                "builds)",
                result.unavailable_reason));
            return result;
        }
        out_.notes.push_back(
            fmt::format("HypoPG is not available ({}): each index was built for real inside a transaction that was "
                        "rolled back (--allow-real-index); that holds a SHARE lock on the table while it builds",
                        result.unavailable_reason));
        wo.mode = server::WhatIfMode::RealIndexRolledBack;
        live_real_ = true;
        // Built inside a transaction: neither CONCURRENTLY (refused there) nor IF NOT EXISTS.
        for (std::size_t t = 0; t < trials.size(); ++t)
            trials[t].create_index_sql = catalog::create_index_sql(work_[trial_work[t]].rec.index,
                                                                   {.concurrently = false, .if_not_exists = false});
        return server::what_if(wo, lp.statements, trials);
    }

    // A trial's costs spread back over the statements the index serves (parallel
    // to live_index). A statement the server could not plan (a timeout, an error)
    // is estimated offline; the run goes on and says so, once per shape.
    void take_outcome(Work& w, const server::TrialOutcome& outcome, std::set<std::string>& unplanned) {
        if (!outcome.error.empty()) {
            out_.notes.push_back(
                fmt::format("{}: what-if planning failed ({}); estimated offline", w.rec.index.name, outcome.error));
            return;
        }
        server::TrialOutcome mapped;
        std::size_t k = 0;
        for (std::size_t si = 0; si < w.live_index.size(); ++si) {
            if (!w.live_index[si] || k >= outcome.costs.size()) {
                mapped.costs.push_back({0, 0, false, "not planned live", {}});
                continue;
            }
            mapped.costs.push_back(outcome.costs[k++]);
            const std::string& err = mapped.costs.back().error;
            if (!err.empty() && unplanned.insert(w.served[si]->fingerprint).second)
                out_.notes.push_back(
                    fmt::format("statement {} could not be planned on the server ({}); "
                                "its gain is estimated offline",
                                w.served[si]->fingerprint, opt_.show_literals ? err : error_gist(err)));
        }
        w.live = std::move(mapped);
    }

    // 5. Gains, then write costs: an index is proposed only when the time it
    // saves the reads is more than what it costs the writes.
    void weigh(Work& w) {
        if (w.candidate.index.unique) {
            estimate_unique_gain(w);
        } else {
            estimate_index_gain(w, lp_, live_real_, model_);
            if (w.dropped) {
                out_.notes.push_back(
                    fmt::format("{} {}: the planner would not use it for the statements behind it "
                                "(what-if planning), not proposed",
                                w.rec.index.table, keys_display(w.rec.index)));
                return;
            }
        }
        finish_gain(w.rec.gain, scale_);
        w.rec.write_cost = write_cost_of(w.rec.index, in_.workload, w.candidate.table,
                                         in_.catalog ? in_.catalog->stats_age_days : -1, scale_, model_);
        // Over the span the gains were counted on, so the two compare.
        w.write_ms_total = w.rec.write_cost.writes_per_hour * model_.write_entry_ms * scale_.span_ms / 3.6e6;
        if (costs_more_than_it_saves(w) || saves_nothing(w)) {
            w.dropped = true;
            return;
        }
        if (w.rec.write_cost.written_more_than_read)
            w.rec.rationale +=
                " The table is written more often than it is read: fewer new indexes are proposed on it.";
    }

    // The unique index is what the UPSERT needs: its gain is the UPSERT's (round
    // trips), plus what it saves other statements that read by its columns. The
    // check-then-insert's own SELECT is not counted twice: the UPSERT removes it.
    // The index carries one UPSERT (its review file); a finding with another
    // UPSERT on the same key (another SELECT before it) becomes a rewrite of its
    // own in add_rewrites, with its own gain, so it is not counted here.
    void estimate_unique_gain(Work& w) {
        std::set<std::string> replaced;
        GainEstimate rewrite;
        rewrite.method = GainMethod::RoundTrips;
        std::vector<std::string> how;
        w.gains.clear();
        for (auto i : w.rec.findings) {
            // Only an UPSERT's: the index also serves other findings' lookups (a loop on its leading
            // column), whose rewrite (a batch) is theirs, and whose statements it does not replace.
            if (findings_[i].rewrite_sql.empty() || findings_[i].app_change.kind != rules::AppChange::Kind::Upsert)
                continue;
            for (const auto& st : findings_[i].statements) replaced.insert(st.fingerprint);
            if (w.rec.review_sql.empty()) {
                w.rec.review_sql = findings_[i].rewrite_sql;
                w.rec.review_note = findings_[i].rewrite_note;
            }
            if (findings_[i].rewrite_sql != w.rec.review_sql) continue;
            rewrite.ms_total += findings_[i].estimated_gain_ms;
            if (!findings_[i].gain_method.empty()) how.push_back(findings_[i].gain_method);
        }
        std::erase_if(w.served, [&](const workload::ShapeInfo* s) { return replaced.count(s->fingerprint) > 0; });
        w.live_index.clear();
        w.live.reset();  // the live trial covered the replaced SELECTs too; the others are estimated offline
        rewrite.method_detail = "the UPSERT's gain: " + join(how, "; ");
        rewrite.confidence = confidence_of(rewrite.method);
        w.upsert = rewrite;
        if (!w.served.empty()) {
            w.live_index.assign(w.served.size(), std::nullopt);
            estimate_index_gain(w, lp_, live_real_, model_);
            w.dropped = false;  // a unique index an UPSERT needs is never dropped for lack of lookups
        }
        w.rec.gain = summarize(w);
        w.rec.duplicates_check_sql = catalog::duplicates_check_sql(w.rec.index);
    }

    // A plain index whose writes cost more than its reads save is not worth it (an UPSERT's is needed anyway).
    bool costs_more_than_it_saves(const Work& w) {
        const double write_ms_hour = w.rec.write_cost.writes_per_hour * model_.write_entry_ms;
        if (w.candidate.index.unique || w.rec.gain.method == GainMethod::None || w.rec.gain.ms_per_hour <= 0 ||
            write_ms_hour < w.rec.gain.ms_per_hour)
            return false;
        out_.notes.push_back(
            fmt::format("{} {}: it would cost about {:.1f} ms/hour on writes and save {:.1f} "
                        "ms/hour, not proposed",
                        w.rec.index.table, keys_display(w.rec.index), write_ms_hour, w.rec.gain.ms_per_hour));
        return true;
    }

    // A plain index estimated to save no time is noise.
    bool saves_nothing(const Work& w) {
        if (w.rec.gain.ms_total > 0 || w.rec.gain.untimed_cost_saved > 0 || w.candidate.index.unique ||
            w.rec.gain.method == GainMethod::None)
            return false;
        out_.notes.push_back(fmt::format("{} {}: no time to gain by the estimate ({}), not proposed", w.rec.index.table,
                                         keys_display(w.rec.index), to_string(w.rec.gain.method)));
        return true;
    }

    // 6. The set, chosen greedily by marginal benefit. The unique indexes UPSERTs
    // need are in from the start; then each round adds the candidate that saves
    // the most time beyond what the chosen ones already save, less its write
    // cost. A statement's saving under a set is, on each of its tables, the best
    // any one index of it gives there (a scan uses one), so two indexes for the
    // same scan never both claim it. At most max_new_indexes_per_table new non-unique indexes per
    // table, one fewer on a table written more often than it is read. Candidates
    // within the estimate's noise of the best are decided by what they serve
    // besides (the ORDER BY, more statements), so a re-sampled ANALYZE does not
    // flip the advice.
    void choose_set() {
        Coverage& covered = coverage_;  // kept: attribute_offline gives each statement to its cover
        std::vector<Work*> pool, unestimated;
        for (auto& w : work_) {
            if (w.dropped) continue;
            if (w.candidate.index.unique) cover(w, covered);
            else if (w.rec.gain.method == GainMethod::None) unestimated.push_back(&w);
            else pool.push_back(&w);
        }
        std::map<std::string, std::size_t> chosen_on;
        while (true) {
            std::erase_if(pool, [&](Work* w) { return !room_for(*w, chosen_on); });
            if (pool.empty()) break;
            std::vector<Scored> scored;
            for (Work* w : pool) scored.push_back({marginal(*w, covered), served_beyond(*w, covered), w});
            const Scored pick = preferred(scored);
            if (!pick.marginal.positive()) break;
            cover(*pick.work, covered);
            ++chosen_on[table_of(*pick.work)];
            std::erase(pool, pick.work);
        }
        for (Work* w : pool) drop_as_redundant(*w, covered);
        for (Work* w : unestimated)  // no estimate to weigh: kept while the table has room
            if (room_for(*w, chosen_on)) ++chosen_on[table_of(*w)];
    }

    // A saving in the set's two currencies: ms where the statement's duration was
    // logged, planner cost units where it was not (a statement given alone, issue
    // 15 item 5). Time always decides first; cost only among candidates that save
    // no time.
    struct Value {
        double ms = 0;
        double cost = 0;
        bool positive() const { return ms > 0 || (ms == 0 && cost > 0); }
        bool operator<(const Value& o) const { return ms != o.ms ? ms < o.ms : cost < o.cost; }
        // Within kNoise of `best`, in the currency that decides.
        bool near(const Value& best) const {
            return best.ms > 0 ? ms >= best.ms * (1 - kNoise) : ms == best.ms && cost >= best.cost * (1 - kNoise);
        }
    };

    // What the chosen set saves each statement, and the index that saves it:
    // the first chosen, unless a later one saves clearly more.
    struct Cover {
        Value saved;
        Work* by = nullptr;
    };
    // Per statement and table: indexes on one table of a statement stand in for
    // each other (its scan uses one), indexes on two tables of a join add up.
    using Coverage = std::map<std::pair<const workload::ShapeInfo*, std::string>, Cover>;
    static std::pair<const workload::ShapeInfo*, std::string> slot(const Work& w, std::size_t i) {
        return {w.served[i], table_of(w)};
    }

    struct Scored {
        Value marginal;
        std::size_t statements = 0;  // statements it saves beyond the chosen set
        Work* work = nullptr;
    };

    static constexpr double kNoise = 0.2;  // estimates this close (relative) are not told apart

    static std::string table_of(const Work& w) { return w.rec.index.schema + "." + w.rec.index.table; }

    static Value value_of(const Work& w, std::size_t i) {
        const workload::ShapeInfo& s = *w.served[i];
        if (s.stats.timed_calls > 0) return {w.gains[i].saved_per_call * calls_of(s), 0};
        return {0, w.gains[i].cost_saved * calls_of(s)};
    }

    // What w saves statement i beyond the set: in each currency 0 unless
    // clearly more (beyond kNoise) than the set saves it already.
    static Value beyond(const Work& w, std::size_t i, const Coverage& covered) {
        const Value v = value_of(w, i);
        auto it = covered.find(slot(w, i));
        const Value has = it == covered.end() ? Value{} : it->second.saved;
        return {v.ms > has.ms * (1 + kNoise) ? v.ms - has.ms : 0.0,
                v.cost > has.cost * (1 + kNoise) ? v.cost - has.cost : 0.0};
    }

    static void cover(Work& w, Coverage& covered) {
        for (std::size_t i = 0; i < w.served.size() && i < w.gains.size(); ++i) {
            const Value b = beyond(w, i, covered);
            if (b.ms > 0 || b.cost > 0) covered[slot(w, i)] = {value_of(w, i), &w};
        }
    }

    static Value added_saving(const Work& w, const Coverage& covered) {
        Value added;
        for (std::size_t i = 0; i < w.served.size() && i < w.gains.size(); ++i) {
            const Value b = beyond(w, i, covered);
            added.ms += b.ms, added.cost += b.cost;
        }
        return added;
    }

    static Value marginal(const Work& w, const Coverage& covered) {
        Value m = added_saving(w, covered);
        m.ms -= w.write_ms_total;
        return m;
    }

    static std::size_t served_beyond(const Work& w, const Coverage& covered) {
        std::size_t n = 0;
        for (std::size_t i = 0; i < w.served.size() && i < w.gains.size(); ++i) {
            const Value b = beyond(w, i, covered);
            n += b.ms > 0 || b.cost > 0;
        }
        return n;
    }

    static bool serves_order(const Work& w) { return w.candidate.index.keys.size() > w.candidate.filter_keys; }

    // The best by marginal benefit; among those within kNoise of it, the one that
    // also serves the ORDER BY, then more statements, then the one with fewer
    // columns, then the larger estimate, then the first by name: the same inputs
    // give the same pick.
    Scored preferred(const std::vector<Scored>& scored) {
        const Scored* best = &scored.front();
        for (const auto& s : scored)
            if (best->marginal < s.marginal ||
                (!(s.marginal < best->marginal) && s.work->rec.index.name < best->work->rec.index.name))
                best = &s;
        if (!best->marginal.positive()) return *best;
        auto rank = [](const Scored& s) {
            // Fewer keys: a smaller index to build, store and write.
            const auto narrower = -static_cast<long>(s.work->candidate.index.keys.size() +
                                                     s.work->candidate.index.include.size());
            return std::make_tuple(serves_order(*s.work), s.statements, narrower, s.marginal);
        };
        const Scored* pick = best;
        for (const auto& s : scored)
            if (s.marginal.near(best->marginal) && rank(*pick) < rank(s)) pick = &s;
        if (pick != best) explain_preference(*pick, *best);
        return *pick;
    }

    static std::string describe(const Value& v) {
        return v.ms > 0 || v.cost == 0 ? fmt::format("{:.1f} ms", v.ms)
                                       : fmt::format("{:.1f} planner cost units", v.cost);
    }

    void explain_preference(const Scored& pick, const Scored& other) {
        const bool order = serves_order(*pick.work) && !serves_order(*other.work);
        pick.work->rec.rationale += fmt::format(
            " Preferred to {} {} (estimated {} against {}, within the estimates' {:.0f}% noise): it {}.",
            other.work->rec.index.table, keys_display(other.work->rec.index), describe(other.marginal),
            describe(pick.marginal), kNoise * 100,
            order                                ? std::string("also serves the ORDER BY")
            : pick.statements > other.statements ? fmt::format("also serves {} statement shapes", pick.statements)
                                                 : std::string("is smaller (fewer columns)"));
    }

    std::size_t cap_on(const Work& w) const {
        const std::size_t cap = opt_.max_new_indexes_per_table;
        return w.rec.write_cost.written_more_than_read ? std::max<std::size_t>(1, cap > 0 ? cap - 1 : 0) : cap;
    }

    // Room on its table, else dropped with a note.
    bool room_for(Work& w, const std::map<std::string, std::size_t>& chosen_on) {
        auto it = chosen_on.find(table_of(w));
        if (it == chosen_on.end() || it->second < cap_on(w)) return true;
        w.dropped = true;
        out_.notes.push_back(
            fmt::format("{} {}: over the limit of {} new indexes on {} (it saves less than "
                        "the ones proposed), not proposed",
                        w.rec.index.table, keys_display(w.rec.index), cap_on(w), table_of(w)));
        return false;
    }

    // What it would add to the chosen set does not pay for its writes (or is nothing).
    void drop_as_redundant(Work& w, const Coverage& covered) {
        w.dropped = true;
        const Value added = added_saving(w, covered);
        if (added.ms <= 0 && added.cost <= 0)
            out_.notes.push_back(
                fmt::format("{} {}: the proposed indexes already save its statements as much "
                            "(one index serves a statement at a time), not proposed",
                            w.rec.index.table, keys_display(w.rec.index)));
        else
            out_.notes.push_back(
                fmt::format("{} {}: beyond what the proposed indexes save, it would save {:.1f} ms "
                            "and cost {:.1f} ms on writes over the same time, not proposed",
                            w.rec.index.table, keys_display(w.rec.index), added.ms, w.write_ms_total));
    }

    // 7b. Each statement's saving counted once: offline (and where the set could
    // not be planned together) for the index the choice gave it to.
    void attribute_offline(const std::set<const workload::ShapeInfo*>& planned_together) {
        for (auto& w : work_) {
            if (w.dropped) continue;
            for (std::size_t i = 0; i < w.served.size() && i < w.gains.size(); ++i) {
                if (planned_together.count(w.served[i])) continue;
                auto it = coverage_.find(slot(w, i));
                if (it == coverage_.end() || !it->second.by || it->second.by == &w) continue;
                w.gains[i].counted = false;
                w.gains[i].given_to = fmt::format(
                    "counted for {}, which saves it as much (within the estimates' noise) or more; its plan uses one",
                    it->second.by->rec.index.name);
            }
        }
        cap_join_savings(planned_together);
    }

    // Indexes on two tables of one statement add up, estimated alone each; their
    // sum is held to what the statement can lose (95% of its measured mean, as
    // the cost model's cap), shared in proportion.
    void cap_join_savings(const std::set<const workload::ShapeInfo*>& planned_together) {
        std::map<const workload::ShapeInfo*, std::vector<StatementGain*>> counted;
        for (auto& w : work_)
            if (!w.dropped)
                for (std::size_t i = 0; i < w.served.size() && i < w.gains.size(); ++i)
                    if (w.gains[i].counted && !planned_together.count(w.served[i]))
                        counted[w.served[i]].push_back(&w.gains[i]);
        for (auto& [shape, gains] : counted) {
            double sum = 0;
            for (const auto* g : gains) sum += g->saved_per_call;
            const double cap = 0.95 * shape->stats.mean_ms();
            if (gains.size() < 2 || cap <= 0 || sum <= cap) continue;
            for (auto* g : gains) {
                g->saved_per_call *= cap / sum;
                g->how += fmt::format(
                    "; with the other proposed indexes it helps, held to {:.0f}% of its estimate "
                    "(together at most 95% of the measured mean)",
                    100 * cap / sum);
            }
        }
    }

    // 7. Live: the chosen set planned at once (server::what_if_set). Each
    // statement's saving goes to the indexes its plan uses with the whole set
    // present (split by what each saves it alone when it uses several); an
    // index no plan uses then saves nothing. Gives the statements so planned.
    std::set<const workload::ShapeInfo*> plan_set() {
        std::set<const workload::ShapeInfo*> planned;
        if (!live_ok_) return planned;
        std::vector<Work*> chosen;
        std::vector<std::string> sqls;
        for (auto& w : work_) {
            if (w.dropped) continue;
            chosen.push_back(&w);
            sqls.push_back(live_real_
                               ? catalog::create_index_sql(w.rec.index, {.concurrently = false, .if_not_exists = false})
                               : catalog::create_index_sql(w.rec.index));
        }
        std::vector<server::WhatIfStatement> statements;
        std::map<const workload::ShapeInfo*, std::size_t> position;
        for (Work* w : chosen)
            for (const auto* s : w->served)
                if (auto it = lp_.by_fingerprint.find(s->fingerprint);
                    it != lp_.by_fingerprint.end() && !position.count(s)) {
                    position[s] = statements.size();
                    statements.push_back(lp_.statements[it->second]);
                }
        if (statements.empty()) return planned;
        server::WhatIfOptions wo;
        wo.conninfo = opt_.conninfo;
        wo.statement_timeout_ms = opt_.statement_timeout_ms;
        wo.mode = live_real_ ? server::WhatIfMode::RealIndexRolledBack : server::WhatIfMode::HypoPG;
        const server::SetOutcome set = server::what_if_set(wo, statements, sqls);
        if (!set.planned || set.costs.size() != statements.size()) {
            out_.notes.push_back("the proposed indexes could not be planned together (" +
                                 (set.connection_error.empty() ? set.unavailable_reason : set.connection_error) +
                                 "): each statement's saving is counted for the index that saves it most alone");
            return planned;
        }
        for (const auto& [shape, p] : position) {
            const server::SetStatementCost& cost = set.costs[p];
            if (!cost.error.empty() || cost.before <= 0) continue;  // counted offline
            planned.insert(shape);
            give_statement(shape, cost, chosen);
        }
        set_planned_ = true;
        return planned;
    }

    // One statement planned with the whole set: its saving to the indexes its plan uses.
    void give_statement(const workload::ShapeInfo* shape, const server::SetStatementCost& cost,
                        const std::vector<Work*>& chosen) {
        const double saved = cost.after < cost.before ? shape->stats.mean_ms() * (1 - cost.after / cost.before) : 0;
        std::vector<std::string> used_names;
        double alone_sum = 0;
        for (auto k : cost.uses) {
            used_names.push_back(chosen[k]->rec.index.name);
            alone_sum += alone_saving(*chosen[k], shape);
        }
        for (std::size_t k = 0; k < chosen.size(); ++k) {
            Work& w = *chosen[k];
            for (std::size_t i = 0; i < w.served.size() && i < w.gains.size(); ++i) {
                if (w.served[i] != shape) continue;
                StatementGain& g = w.gains[i];
                const bool used = std::find(cost.uses.begin(), cost.uses.end(), k) != cost.uses.end();
                if (!used) {
                    g.counted = false;
                    g.given_to = used_names.empty()
                                     ? fmt::format(
                                           "planned with all the proposed indexes its plan uses none of them "
                                           "(cost {:.1f} -> {:.1f})",
                                           cost.before, cost.after)
                                     : "planned with all the proposed indexes its plan uses " + join(used_names);
                    continue;
                }
                const double share = used_names.size() == 1 ? 1
                                     : alone_sum > 0        ? alone_saving(w, shape) / alone_sum
                                                            : 1.0 / static_cast<double>(used_names.size());
                g.counted = true;
                g.saved_per_call = saved * share;
                g.cost_before = cost.before, g.cost_after = cost.after;
                g.cost_saved = std::max(0.0, cost.before - cost.after) * share;
                g.method = live_real_ ? GainMethod::RealIndexRolledBack : GainMethod::HypoPG;
                g.how = fmt::format(
                    "planned with all {} proposed indexes at once ({}): cost {:.1f} -> {:.1f} {}, "
                    "its plan uses {}{}{}; ",
                    chosen.size(), live_real_ ? "real indexes, rolled back" : "HypoPG", cost.before, cost.after,
                    planned_with(lp_, lp_.by_fingerprint.at(shape->fingerprint)), join(used_names),
                    share < 1 ? fmt::format(" ({:.0f}% of it counted here, by what each saves alone)", share * 100)
                              : "",
                    cost.basis.empty() ? "" : " (" + cost.basis + ")");
                g.how += shape->stats.timed_calls > 0
                             ? fmt::format("the ratio applied to its measured mean {:.3f} ms", shape->stats.mean_ms())
                             : "no duration was logged for it, so its gain is in planner cost units, not ms";
            }
        }
    }

    static double alone_saving(const Work& w, const workload::ShapeInfo* shape) {
        for (std::size_t i = 0; i < w.served.size() && i < w.gains.size(); ++i)
            if (w.served[i] == shape) return w.gains[i].saved_per_call;
        return 0;
    }

    void finish_set_summary() {
        IndexSetSummary& set = out_.index_set;
        set.ms_per_hour = scale_.per_hour(set.ms_total);
        set.share_of_db_time = scale_.share(set.ms_total);
        set.method =
            "chosen greedily by marginal benefit (each round, the index that saves the most time beyond the ones "
            "already chosen, less its write cost); " +
            std::string(set_planned_ ? "then planned together, each statement's saving counted for the index its "
                                       "plan uses"
                                     : "each statement's saving counted once, for the index that saves it most");
    }

    // 8. The chosen indexes' recommendations, their gains as finally counted.
    void settle_gains() {
        for (auto& w : work_) {
            if (w.dropped) continue;
            w.rec.gain = summarize(w);
            finish_gain(w.rec.gain, scale_);
            if (!w.candidate.index.unique && w.rec.gain.method != GainMethod::None && w.rec.gain.ms_total <= 0 &&
                w.rec.gain.untimed_cost_saved <= 0) {
                w.dropped = true;
                out_.notes.push_back(fmt::format(
                    "{} {}: planned together with the other proposed indexes, its statements use them instead, "
                    "not proposed",
                    w.rec.index.table, keys_display(w.rec.index)));
                continue;
            }
            out_.index_set.indexes += 1;
            out_.index_set.ms_total += w.rec.gain.ms_total;
        }
        finish_set_summary();
    }

    // 8b. A finding whose own candidate was not chosen (the set's choice dropped it as useless
    // beside a wider index, or it never merged: another predicate) is fixed all the same when a
    // chosen index serves every need it names: it links to that index, and the report says the
    // index fixes it instead of listing it alone with an index of its own.
    void link_served_findings() {
        std::vector<bool> linked(findings_.size(), false);
        for (const auto& w : work_)
            if (!w.dropped)
                for (std::size_t f : w.rec.findings) linked[f] = true;
        for (std::size_t i = 0; i < findings_.size(); ++i) {
            if (linked[i] || findings_[i].index_needs.empty()) continue;
            for (auto& w : work_) {
                if (w.dropped || !serves_every_need(w.rec.index, i)) continue;
                w.rec.findings.insert(std::upper_bound(w.rec.findings.begin(), w.rec.findings.end(), i), i);
                w.rec.rule_ids = rule_ids_of(findings_, w.rec.findings);
                w.rec.rationale += fmt::format(" It also serves the {} finding \"{}\".", findings_[i].rule_id,
                                               findings_[i].title);
                break;
            }
        }
    }

    // Each need of the finding, as the statement asks it of an index on its table (catalog::index_serves).
    bool serves_every_need(const IndexDefinition& index, std::size_t finding) const {
        for (const auto& need : findings_[finding].index_needs) {
            const auto c = candidate_from_need(need, finding, in_.workload, in_.catalog);
            if (!c || !index_serves_candidate(index, *c)) return false;
        }
        return true;
    }

    // An index recommendation says what it builds, where, for how many shapes and from which rules.
    static Recommendation titled(Recommendation r) {
        // "partial": the keys alone would misdescribe it; the predicate (it may hold a value) stays in the SQL.
        std::string kind = r.index.unique ? "Unique index" : "Index";
        if (!r.index.predicate.empty()) kind = r.index.unique ? "Unique partial index" : "Partial index";
        r.title = fmt::format("{} {} {} for {} statement shape{} ({})", kind, r.index.table, keys_display(r.index),
                              r.statements.size(), r.statements.size() == 1 ? "" : "s", join(r.rule_ids));
        return r;
    }

    // 9. Statements to rewrite in the application: the batched N+1 lookup, the
    // UPSERT whose unique index already exists, and any UPSERT other than the one
    // its unique index's recommendation carries: every rewrite gets its review file.
    void add_rewrites() {
        std::set<std::size_t> with_unique;
        for (const auto& r : out_.recommendations)
            if (r.kind == RecommendationKind::CreateUniqueIndex)
                for (auto i : r.findings)
                    if (findings_[i].rewrite_sql == r.review_sql) with_unique.insert(i);
        for (std::size_t i = 0; i < findings_.size(); ++i)
            if (!findings_[i].rewrite_sql.empty() && !with_unique.count(i))
                out_.recommendations.push_back(rewrite_of(i));
    }

    // A rewrite's gain is the round trips its finding saves; its title is its rule's (the registry's).
    Recommendation rewrite_of(std::size_t i) const {
        const auto& f = findings_[i];
        Recommendation r;
        r.kind = RecommendationKind::RewriteStatement;
        r.findings = {i};
        r.rule_ids = {f.rule_id};
        r.statements = f.statements;
        r.review_sql = f.rewrite_sql;
        r.review_note = f.rewrite_note;
        r.rationale = f.fix;
        const rules::RuleEntry* rule = rules::find_rule(f.rule_id);
        r.title = rule ? rules::rewrite_title(*rule, f.table) : "Rewrite the statement on " + f.table;
        r.index.schema = f.schema;
        r.index.table = f.table;
        r.gain.method = GainMethod::RoundTrips;
        r.gain.method_detail = f.gain_method;
        r.gain.ms_total = f.estimated_gain_ms;
        long long calls = 0;
        for (const auto& s : f.statements) calls += s.calls;
        r.gain.ms_per_call = calls > 0 ? f.estimated_gain_ms / static_cast<double>(calls) : 0;
        r.gain.confidence = f.confidence;
        finish_gain(r.gain, scale_);
        r.key = "rewrite:" + f.rule_id + ":" + f.key;
        return r;
    }

    // 9b. With a server: every review statement must prepare there, and a batched lookup
    // must return, per key, the rows its logged loops returned; one that does not is not
    // proposed (an UPSERT's unique index still is, without the UPSERT).
    void check_rewrites() {
        std::vector<server::RewriteCheckRequest> requests;
        std::vector<std::size_t> which;
        for (std::size_t r = 0; r < out_.recommendations.size(); ++r) {
            const Recommendation& rec = out_.recommendations[r];
            if (rec.review_sql.empty()) continue;
            server::RewriteCheckRequest request{rec.review_sql, std::nullopt};
            if (rec.kind == RecommendationKind::RewriteStatement && rec.findings.size() == 1)
                request.batch = findings_[rec.findings.front()].batch_samples;
            requests.push_back(std::move(request));
            which.push_back(r);
        }
        if (requests.empty()) return;
        const auto result = server::check_rewrites(opt_.conninfo, opt_.statement_timeout_ms, requests);
        if (!result.connection_error.empty() || result.outcomes.size() != requests.size()) {
            out_.notes.push_back("rewrites not checked on the server: " + result.connection_error);
            return;
        }
        std::set<std::size_t> failed;
        for (std::size_t k = 0; k < which.size(); ++k)
            if (!take_check(out_.recommendations[which[k]], result.outcomes[k])) failed.insert(which[k]);
        std::vector<Recommendation> kept;
        for (std::size_t r = 0; r < out_.recommendations.size(); ++r)
            if (!failed.count(r) || out_.recommendations[r].kind != RecommendationKind::RewriteStatement)
                kept.push_back(std::move(out_.recommendations[r]));
        out_.recommendations = std::move(kept);
    }

    // The outcome on the recommendation; false (with a note) when its statement must not be proposed.
    bool take_check(Recommendation& rec, const server::RewriteCheckOutcome& o) {
        const std::string server = o.server_message.empty()
                                       ? ""
                                       : " (" + (opt_.show_literals ? o.server_message : error_gist(o.server_message)) +
                                             ")";
        if (!o.error.empty()) {
            out_.notes.push_back(
                fmt::format("{}: the rewritten statement is not proposed: {}{}", rec.title, o.error, server));
            if (rec.kind != RecommendationKind::RewriteStatement) rec.review_sql.clear();
            return false;
        }
        rec.rewrite_check.loops = o.loops_equivalent;
        rec.rewrite_check.keys = o.keys_compared;
        rec.rewrite_check.status = o.loops_equivalent > 0 ? RewriteCheck::Status::Equivalent
                                                          : RewriteCheck::Status::Prepared;
        rec.rewrite_check.detail = o.not_compared.empty() ? "" : o.not_compared + server;
        return true;
    }

    // 10. Ranked by total time saved; planner units only order what saves no
    // measured time (statements given without durations).
    void rank() {
        std::stable_sort(out_.recommendations.begin(), out_.recommendations.end(),
                         [](const Recommendation& a, const Recommendation& b) {
                             if (a.gain.ms_total != b.gain.ms_total) return a.gain.ms_total > b.gain.ms_total;
                             return a.gain.untimed_cost_saved > b.gain.untimed_cost_saved;
                         });
    }

    const AdviceInput& in_;
    const AdviseOptions& opt_;
    const std::vector<rules::Finding>& findings_;
    const CostModel model_;
    Scale scale_;
    Advice out_;
    std::vector<Work> work_;
    bool live_real_ = false;  // the live trials built real indexes (no HypoPG, --allow-real-index)
    bool live_ok_ = false;    // the live trials ran: the chosen set can be planned together
    bool set_planned_ = false;
    LivePlan lp_;        // the statements planned live
    Coverage coverage_;  // which chosen index saves each statement
};

}  // namespace

Advice advise(const AdviceInput& in, const AdviseOptions& opt) {
    if (!in.findings) return {};
    return Advisor(in, opt).run();
}

}  // namespace pgadvisor::advise
