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

std::optional<std::size_t> live_statement(LivePlan& lp, const workload::ShapeInfo& s, std::size_t sets) {
    if (auto it = lp.by_fingerprint.find(s.fingerprint); it != lp.by_fingerprint.end()) return it->second;
    server::WhatIfStatement ws;
    ws.statement = s.normalized;
    ws.param_sets = workload::parameter_sets(s, sets);
    if (ws.param_sets.empty()) return std::nullopt;  // no complete parameter set: not planned live
    lp.by_fingerprint[s.fingerprint] = lp.statements.size();
    lp.statements.push_back(std::move(ws));
    return lp.statements.size() - 1;
}

struct Work {
    Candidate candidate;
    Recommendation rec;
    std::vector<const workload::ShapeInfo*> served;      // statement shapes that read the table
    std::vector<std::optional<std::size_t>> live_index;  // parallel to served: index into LivePlan::statements
    std::optional<server::TrialOutcome> live;
    bool dropped = false;
};

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

// The gain of one index over the statements it serves: live costs where the
// server planned them, else the logged plan, else the cost model.
void estimate_index_gain(Work& w, bool live_mode_real, const CostModel& model) {
    GainEstimate g;
    std::vector<std::string> details;
    long long calls = 0;
    bool any_used = false, any_live = false;
    for (std::size_t i = 0; i < w.served.size(); ++i) {
        const workload::ShapeInfo& s = *w.served[i];
        const double mean = s.stats.mean_ms();
        double saved = 0;
        GainMethod m = GainMethod::None;
        std::string how;
        if (w.live && w.live_index[i]) {
            const server::StatementCost& c = w.live->costs[i];
            if (c.error.empty() && c.before > 0) {
                any_live = true;
                m = live_mode_real ? GainMethod::RealIndexRolledBack : GainMethod::HypoPG;
                g.cost_before += c.before;
                g.cost_after += c.after;
                if (c.uses_index && c.after < c.before) {
                    any_used = true;
                    saved = mean * (1 - c.after / c.before);
                    how = fmt::format(
                        "planner cost {:.1f} -> {:.1f} ({}) with the real parameter values from the log, "
                        "the ratio applied to its measured mean {:.3f} ms",
                        c.before, c.after, live_mode_real ? "a real index, rolled back" : "HypoPG", mean);
                    if (!c.basis.empty()) how += " (" + c.basis + ")";
                } else {
                    how = fmt::format("the planner would not use the index for it (cost {:.1f} -> {:.1f})", c.before,
                                      c.after);
                }
            }
        }
        if (m == GainMethod::None && s.plan)
            if (auto pg = gain_from_plan(*s.plan, w.candidate, mean, model)) {
                m = GainMethod::PlanActualTimes, saved = pg->saved_ms_per_call, how = pg->detail;
                any_used |= saved > 0;
            }
        if (m == GainMethod::None)
            if (auto cm = gain_from_cost_model(w.candidate, mean, model)) {
                m = GainMethod::CostModel, saved = cm->saved_ms_per_call, how = cm->detail;
                any_used |= saved > 0;
            }
        if (m == GainMethod::None) how = "not estimated: no live server, no plan with actual times, no row count";
        g.method = weaker(g.method, m);
        g.ms_total += saved * static_cast<double>(s.stats.calls);
        calls += s.stats.calls;
        details.push_back(
            fmt::format("{} ({} calls): {:.3f} ms saved per call; {}", s.fingerprint, s.stats.calls, saved, how));
    }
    g.ms_per_call = calls > 0 ? g.ms_total / static_cast<double>(calls) : 0;
    g.method_detail = join(details, "; ");
    g.confidence = confidence_of(g.method);
    if (any_live && !any_used && !w.candidate.index.unique) w.dropped = true;  // the planner would not use it
    w.rec.gain = g;
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
        cap_per_table();
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
        // the loop's parent query, on another table); a unique index keeps them all:
        // the UPSERT it enables replaces the check and the write.
        if (!w.candidate.index.unique)
            std::erase_if(r.statements, [&](const rules::StatementEvidence& e) {
                return !e.fingerprint.empty() &&
                       std::find(w.candidate.fingerprints.begin(), w.candidate.fingerprints.end(), e.fingerprint) ==
                           w.candidate.fingerprints.end();
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
        LivePlan lp;
        std::vector<server::WhatIfTrial> trials;
        std::vector<std::size_t> trial_work;
        for (std::size_t wi = 0; wi < work_.size(); ++wi)
            if (auto t = trial_for(work_[wi], lp)) {
                trials.push_back(std::move(*t));
                trial_work.push_back(wi);
            }
        if (trials.empty()) return;
        const server::WhatIfResult result = what_if(lp, trials, trial_work);
        if (!result.connection_error.empty()) {
            out_.notes.push_back("what-if planning skipped: " + result.connection_error);
            return;
        }
        if (result.trials.size() != trials.size()) return;
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
            estimate_index_gain(w, live_real_, model_);
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
        for (auto i : w.rec.findings) {
            if (findings_[i].rewrite_sql.empty()) continue;
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
        GainEstimate g = rewrite;
        if (!w.served.empty()) {
            w.live_index.assign(w.served.size(), std::nullopt);
            estimate_index_gain(w, live_real_, model_);
            const GainEstimate lookups = w.rec.gain;
            g.ms_total += lookups.ms_total;
            if (lookups.ms_total > rewrite.ms_total) g.method = lookups.method;
            g.method_detail += "; and for the other statements that read by these columns: " + lookups.method_detail;
            w.dropped = false;  // a unique index an UPSERT needs is never dropped for lack of lookups
        }
        g.confidence = confidence_of(g.method);
        long long calls = 0;
        for (const auto& s : w.rec.statements) calls = std::max(calls, s.calls);
        g.ms_per_call = calls > 0 ? g.ms_total / static_cast<double>(calls) : 0;
        w.rec.gain = g;
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
        if (w.rec.gain.ms_total > 0 || w.candidate.index.unique || w.rec.gain.method == GainMethod::None) return false;
        out_.notes.push_back(fmt::format("{} {}: no time to gain by the estimate ({}), not proposed", w.rec.index.table,
                                         keys_display(w.rec.index), to_string(w.rec.gain.method)));
        return true;
    }

    // 6. At most max_new_indexes_per_table new non-unique indexes per table, by
    // time saved; one fewer on a table written more often than it is read.
    void cap_per_table() {
        std::map<std::string, std::vector<Work*>> by_table;
        for (auto& w : work_)
            if (!w.dropped && !w.candidate.index.unique)
                by_table[w.rec.index.schema + "." + w.rec.index.table].push_back(&w);
        for (auto& [table, ws] : by_table) {
            std::stable_sort(ws.begin(), ws.end(),
                             [](const Work* a, const Work* b) { return a->rec.gain.ms_total > b->rec.gain.ms_total; });
            std::size_t cap = opt_.max_new_indexes_per_table;
            if (!ws.empty() && ws.front()->rec.write_cost.written_more_than_read)
                cap = std::max<std::size_t>(1, cap > 0 ? cap - 1 : 0);
            for (std::size_t i = cap; i < ws.size(); ++i) {
                ws[i]->dropped = true;
                out_.notes.push_back(
                    fmt::format("{} {}: over the limit of {} new indexes on {} (it saves less than "
                                "the ones proposed), not proposed",
                                ws[i]->rec.index.table, keys_display(ws[i]->rec.index), cap, table));
            }
        }
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

    // 7. Statements to rewrite in the application: the batched N+1 lookup, the
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

    // 7b. With a server: every review statement must prepare there, and a batched lookup
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
        rec.rewrite_check.status = o.loops_equivalent > 0 ? RewriteCheck::Status::Equivalent
                                                          : RewriteCheck::Status::Prepared;
        rec.rewrite_check.detail = o.not_compared.empty() ? "" : o.not_compared + server;
        return true;
    }

    // 8. Ranked by total time saved (planner units never rank anything).
    void rank() {
        std::stable_sort(out_.recommendations.begin(), out_.recommendations.end(),
                         [](const Recommendation& a, const Recommendation& b) {
                             return a.gain.ms_total > b.gain.ms_total;
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
};

}  // namespace

Advice advise(const AdviceInput& in, const AdviseOptions& opt) {
    if (!in.findings) return {};
    return Advisor(in, opt).run();
}

}  // namespace pgadvisor::advise
