#pragma once
// The workload stage: the statement stream grouped into sessions,
// transactions and requests, with per-shape aggregates.
//
// Takes: ingest::Statement records in log order (and sql shapes of them).
// Gives: an Execution for each statement, as it arrives, to a sink (the rules
// that look at sequences: n-plus-one, check-then-insert), and at the end a
// Workload: one ShapeInfo per distinct statement shape. Memory grows with the
// number of shapes and of sessions open at once, not with the log's size.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/issues.hpp"
#include "ingest/plan.hpp"
#include "ingest/record.hpp"
#include "sql/optional_box.hpp"
#include "sql/query_shape.hpp"
#include "sql/scanner.hpp"
#include "workload/literal_samples.hpp"
#include "workload/literal_values.hpp"
#include "workload/new_shape.hpp"
#include "workload/orm_detection.hpp"
#include "workload/summary.hpp"
#include "workload/request_tags.hpp"
#include "workload/stable_list.hpp"
#include "workload/table_sizes.hpp"

namespace pgadvisor::workload {

// One literal of a shape over every call (not only the few samples): the value
// every call gave it, if they all gave the same known, non-NULL one. The
// evidence a partial index on `col = value` needs. The value is user data:
// never printed unless --show-literals.
struct ConstantLiteral {
    std::optional<std::string> value;  // set while every call so far had this value
    bool varies = false;               // a call had another value, NULL, or one that could not be read
    // value is a stand-in, not the value: a digest written without --show-literals keeps a hash of
    // a value no report would show ("#" and 16 hex digits), which tells equal values apart on merge.
    bool token = false;
    bool constant() const { return value.has_value() && !varies; }
};

// Where a shape's calls came from, counted up to 2: one session or request
// repeating a value proves less than several independent ones.
struct CallSpread {
    std::size_t calls = 0;                     // calls whose literal values were read
    int sessions = 0;                          // distinct sessions of those calls, at most 2
    int requests = 0;                          // distinct tagged requests, at most 2
    std::string first_session, first_request;  // keys (not data), to tell a second one
};

struct ShapeInfo;

// A constant's value must be the same in at least this many calls before it is
// shown or written without --show-literals: fewer say little about what the
// application always sends.
inline constexpr std::size_t kMinCallsToShowConstant = 3;

// Why a shape's constant value may not be shown (a report, a partial index's
// predicate) or kept (a digest) without --show-literals; empty when it may: a
// code constant (sql::looks_like_code_constant), in at least
// kMinCallsToShowConstant calls, from at least 2 sessions or requests
// (docs/rules/seq-scan.md, "Partial indexes and literal values").
std::string constant_withheld_because(const ShapeInfo& shape, const std::string& value);

struct ShapeInfo {
    std::size_t id = 0;
    std::string fingerprint;                        // hex, as ShapeStats
    std::string normalized;                         // constants as $n
    std::optional<sql::QueryShape> shape;           // from the first text seen with this shape
    sql::OptionalBox<sql::ParseError> parse_error;  // on the heap: most shapes parse (sql/optional_box.hpp)
    ShapeStats stats;                               // calls, times, first seen
    double p50_ms = 0, p95_ms = 0, max_ms = 0;      // p50 and p95: set_percentiles, from stats.durations
    double first_ms = 0, last_ms = 0;               // epoch ms of first and last call (0 when unknown)
    std::vector<ingest::SourceLocation> locations;  // a few, first ones
    // A few parameter sets seen (values of shape->literals, in order), for
    // planning with real values; never printed unless --show-literals.
    LiteralSamples samples;  // packed (literal_samples.hpp)
    // Per literal of shape->literals, over every call: the one value they all had.
    std::vector<ConstantLiteral> constant_literals;
    CallSpread spread;
    // The slowest auto_explain / EXPLAIN plan seen for this shape, if any.
    std::shared_ptr<const ingest::Plan> plan;
    double plan_ms = 0;

    // p50_ms and p95_ms from stats.durations, once stats are complete (built, merged or read back).
    void set_percentiles() {
        p50_ms = stats.durations.percentile(0.50);
        p95_ms = stats.durations.percentile(0.95);
    }
};

// A workload's shapes, each where it was first put (stable_list.hpp).
using ShapeList = StableList<ShapeInfo>;

// One executed statement with the context the sequence rules need.
struct Execution {
    const ingest::Statement& statement;
    const ShapeInfo& shape;
    const std::string& session;  // session key
    // A small number for the session while it is open: an ended session's slot is given to a
    // later one, after the SessionKeySink is told. A rule keeps per-session state in a vector
    // indexed by it, found without hashing the key for every statement (issue 17).
    std::size_t session_slot;
    // Statements of one transaction share this key: the virtual transaction id
    // when the log has one (an autocommit statement then has its own), else
    // BEGIN ... COMMIT in the session. Empty when no transaction is known.
    const std::string& transaction;
    const std::string& request;  // request key; empty when the statement carries no request tags
    const RequestTags& tags;     // sqlcommenter / marginalia tags (+ application_name)
    // Values of shape.shape->literals for this execution, in the same order.
    const std::vector<LiteralValue>& values;
};

// Whether a request key (Execution::request) names a trace (a traceparent's trace id), whose
// statements a connection pool spreads over sessions; else it is one session's run of tags.
bool is_trace_request(std::string_view request);

// A statement's value tokens (constants, $n, TRUE/FALSE/NULL): sql/scanner.hpp's.
using sql::value_tokens;
using sql::ValueToken;

// The request tags in a statement's comments (request_tags_of), read only when it has a comment.
RequestTags comment_tags(const std::string& text);

// A statement with what can be read off it alone, before the others: its cheap
// key (ingest::shape_key), its value tokens and its comments' tags. The costly half of adding a
// statement, so worker threads compute it (parallel_read.hpp) and the builder
// then adds statements in log order; WorkloadBuilder::add(statement) computes
// the same itself.
struct PreparedStatement {
    PreparedStatement() = default;
    // Built around the statement as read: moved in once, not default-built and then assigned
    // (the reader's sink did that for every statement, issue 17).
    explicit PreparedStatement(ingest::Statement&& s) : statement(std::move(s)) {}

    ingest::Statement statement;
    std::optional<std::string> key;  // ingest::shape_key of the text; nullopt when it has none
    std::vector<ValueToken> tokens;  // value_tokens of the text
    RequestTags tags;                // comment_tags of the text
    // The statement's shape worked out on the worker when its key was new to the workers
    // (new_shape.hpp); empty for most statements, and for a key another worker claimed.
    sql::OptionalBox<NewShape> new_shape;
    // The values of its shape's literals, read on the worker when the builder had published its
    // key's reference by then (literal_values.hpp); else nullopt, and the builder reads them.
    std::optional<std::vector<LiteralValue>> values;
    // Its key's shape id, when the builder had published the key by then: the builder then
    // does not look the key up again.
    std::optional<std::size_t> shape_id;
};

// Reads the key, the value tokens and the tags off the statement. Safe on any thread.
void prepare_statement(PreparedStatement& p);

using ExecutionSink = std::function<void(const Execution&)>;
// A session key (Execution::session) that no later execution will carry, and its slot
// (Execution::session_slot), which a later session may be given.
using SessionKeySink = std::function<void(const std::string& session, std::size_t slot)>;

struct Workload {
    ShapeList shapes;            // index = ShapeInfo::id
    Summary summary;             // statements, sessions, time span, errors (shapes moved out)
    long long sessions = 0;      // sessions the statements name (id or pid); 0: unknown (pg_stat_statements)
    long long transactions = 0;  // explicit transactions seen
    long long requests = 0;
    double total_ms = 0;  // all database time seen (statements with a duration)
    double span_ms = 0;   // last - first timestamp
    std::vector<std::shared_ptr<const ingest::Plan>> standalone_plans;  // EXPLAIN files without a statement
    std::vector<std::string> plan_sources;                              // file:line of each standalone plan, same order
    // Statements the sql stage refused as input problems (nested too deeply), once per shape.
    ingest::Issues issues;
    // What the log shows of the tables' sizes (table_sizes.hpp): set by
    // table_size_evidence once the catalog is known; read through table_rows.
    TableSizes table_sizes;
    // Which ORM wrote the statements, how sure, and why (orm_detection.hpp).
    OrmDetection orm;

    const ShapeInfo* find(const std::string& fingerprint) const;
};

struct WorkloadOptions {
    std::size_t samples_per_shape = 5;
    std::size_t locations_per_shape = 5;
};

class WorkloadBuilder {
public:
    explicit WorkloadBuilder(WorkloadOptions options = {}, ExecutionSink sink = {}, SessionKeySink ended = {});
    ~WorkloadBuilder();
    WorkloadBuilder(const WorkloadBuilder&) = delete;
    WorkloadBuilder& operator=(const WorkloadBuilder&) = delete;

    void add(const ingest::Statement& statement);  // in log order
    // The same, with its key and tokens already read; takes its new_shape when it uses it.
    void add(PreparedStatement& prepared);
    // The session is over (ingest::SessionTracking): its state is freed and the
    // `ended` sink told; a later statement with its key begins a new session.
    void end_session(const ingest::SessionEnd& end);
    std::size_t open_sessions() const;  // sessions whose state is held
    // Asks the CPU to load what adding `prepared` will read, a few statements before it is
    // added: on a log of many shapes each statement's shape is in no cache (issue 17). A first
    // call (Shape) loads the shape itself; a second, closer to the add (Lists), the lists it
    // points at. Nothing is read where the statement's shape id is not known yet.
    enum class PrefetchStage { Shape, Lists };
    void prefetch(const PreparedStatement& prepared, PrefetchStage stage) const;
    std::size_t shape_count() const;  // shapes met so far
    // The value references of the keys met so far, for workers to read statements' values with
    // (parallel_read.hpp); published as keys are met, safe to read from any thread.
    ValueReferences& value_references();
    Workload finish();

private:
    // `prepared`: what was read off the statement already (its key, value tokens, tags, new shape,
    // values, shape id), or nullptr to read it all here.
    void add_statement(const ingest::Statement& s, PreparedStatement* prepared);
    struct State;
    std::unique_ptr<State> state_;
};

// One sample's values in $n order of the shape's normalized text, as protocol
// parameters for planning it: the statement's own $n first, then its constants
// in source order (as pg_query_normalize numbers them). nullopt when a value is
// unknown or a $n is missing. Values are user data: never print them.
std::optional<std::vector<std::optional<std::string>>> parameter_values(const sql::QueryShape& shape,
                                                                        const std::vector<LiteralValue>& sample);

// Up to `max` complete parameter sets of a shape's samples (parameter_values of
// each), for planning it as the application ran it; one empty set when the
// statement has no literals at all.
std::vector<std::vector<std::optional<std::string>>> parameter_sets(const ShapeInfo& shape, std::size_t max);

// The values of a shape's literals in another statement of the same shape,
// read with PostgreSQL's lexer; bound parameters ($n) come from the record.
std::vector<LiteralValue> literal_values(const sql::QueryShape& shape, const ingest::Statement& statement);

}  // namespace pgadvisor::workload
