// workload::read_into on several threads gives the builder what the single-threaded
// path gives it, in the same order (issue 17): every execution the rules observe,
// every session's end where it was, the same workload and the same bad-input
// report; and what a worker, the reader or the rules throw reaches the caller.
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>

#include "sql/shape.hpp"
#include "workload/parallel_read.hpp"

using namespace pgadvisor;
using namespace pgadvisor::workload;

namespace {

// Everything the builder's sinks saw, in order, and what the workload and the report say, as one text.
std::string trace_of(const std::string& input, const std::optional<std::string>& prefix, ParallelReadOptions parallel) {
    std::string trace;
    WorkloadBuilder builder(
        {},
        [&](const Execution& e) {
            trace += "exec " + std::to_string(e.shape.id) + " " + e.session + "@" + std::to_string(e.session_slot) +
                     " tx=" + e.transaction + " req=" + e.request + " " + e.statement.source.file.str() + ":" +
                     std::to_string(e.statement.source.first_line) + " values";
            for (const auto& v : e.values) {
                trace += ' ';
                trace += v.known ? v.text.value_or("NULL") : std::string("?");
            }
            trace += "\n";
        },
        [&](const std::string& session, std::size_t slot) {
            trace += "end " + session + "@" + std::to_string(slot) + "\n";
        });
    ingest::IngestOptions in;
    in.inputs = {input};
    in.prefix = prefix;
    in.sessions.enabled = true;
    in.sessions.idle_ms = 60000;
    const auto report = read_into(in, builder, parallel);
    const auto w = builder.finish();
    trace += "statements " + std::to_string(report.statements) + " shapes " + std::to_string(w.shapes.size()) +
             " sessions " + std::to_string(w.sessions) + " transactions " + std::to_string(w.transactions) +
             " requests " + std::to_string(w.requests) + " keyed_fast " + std::to_string(w.summary.keyed_fast) +
             " libpg_calls " + std::to_string(w.summary.libpg_calls) + "\n";
    // A shape's text is its first statement's (in input order), wherever it was shaped.
    for (const auto& s : w.shapes)
        trace += s.fingerprint + " " + std::to_string(s.stats.calls) + " " + std::to_string(s.stats.total_ms) + " " +
                 std::to_string(s.samples.size()) + " " + std::to_string(s.constant_literals.size()) + " " +
                 s.normalized + " " + (s.shape ? s.shape->text : std::string("(no shape)")) + "\n";
    for (const auto& f : report.files) trace += "file " + f.path + " " + std::to_string(f.lines) + " " + f.error + "\n";
    for (const auto& [kind, k] : report.issues.kinds()) {
        trace += "skipped " + kind + " " + std::to_string(k.count) + "\n";
        for (const auto& e : k.examples) trace += "  " + e + "\n";
    }
    return trace;
}

ParallelReadOptions jobs(unsigned n) {
    ParallelReadOptions o;
    o.jobs = n;
    // Small batches and little read-ahead: many hand-overs, session ends inside and between batches.
    o.batch_size = 7;
    o.max_batches_in_flight = 3;
    return o;
}

// The same, asking each statement's shape and value reference into the cache ahead (prefetch.hpp),
// which by default only logs of thousands of shapes do.
ParallelReadOptions loading_ahead(ParallelReadOptions o) {
    o.prefetch_from_shapes = 0;
    return o;
}

std::string fixture(const std::string& relative) {
    return (std::filesystem::path(PGADVISOR_SOURCE_DIR) / relative).string();
}

std::string write_log(const std::string& name, const std::string& text) {
    const auto dir = std::filesystem::temp_directory_path() / "pgadvisor-parallel-read-tests";
    std::filesystem::create_directories(dir);
    const auto path = (dir / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

// `n` lookups "SELECT * FROM t WHERE id = i", each by its own backend (%m [%p]: prefix).
std::string write_lookups_log(const std::string& name, int n) {
    std::string log;
    for (int i = 0; i < n; ++i)
        log += "2024-05-01 08:00:00.000 UTC [" + std::to_string(100 + i) +
               "]: LOG:  duration: 0.2 ms  statement: SELECT * FROM t WHERE id = " + std::to_string(i) + " \n";
    return write_log(name, log);
}

}  // namespace

TEST_CASE("parallel read: the builder sees what one thread gives it, on every bundled example log",
          "[workload][parallel]") {
    int logs = 0;
    for (const auto& dir : std::filesystem::directory_iterator(fixture("examples"))) {
        const auto log = dir.path() / "captured" / "postgresql.log";
        if (!std::filesystem::exists(log)) continue;
        ++logs;
        INFO(log.string());
        const auto one = trace_of(log.string(), std::nullopt, jobs(1));
        REQUIRE(one.find("exec ") != std::string::npos);  // executions were seen, so the comparison means something
        CHECK(trace_of(log.string(), std::nullopt, jobs(2)) == one);
        CHECK(trace_of(log.string(), std::nullopt, jobs(4)) == one);
        CHECK(trace_of(log.string(), std::nullopt, loading_ahead(jobs(2))) == one);
    }
    CHECK(logs >= 6);
}

TEST_CASE("parallel read: sessions that end between statements end in the same place", "[workload][parallel]") {
    std::string log;
    for (int i = 0; i < 60; ++i) {
        const std::string pid = std::to_string(100 + i % 3);
        const std::string at = "2024-05-01 08:00:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ".000 UTC [";
        log += at + pid + "]: LOG:  duration: 0.2 ms  statement: SELECT * FROM t WHERE id = " + std::to_string(i) +
               "\n";
        if (i % 5 == 4) log += at + pid + "]: LOG:  disconnection: session time: 0:00:01.000 user=a database=b\n";
    }
    const auto path = write_log("sessions.log", log);
    const auto one = trace_of(path, "%m [%p]: ", jobs(1));
    REQUIRE(one.find("end ") != std::string::npos);
    CHECK(trace_of(path, "%m [%p]: ", jobs(3)) == one);
}

// Workers shape the statements whose key is new to them (new_shape.hpp). Here the
// worker of the first batch is held until another has worked out the third, so
// the second and third batches claim their keys before the first batch's
// statements of the same fingerprints (its keys differ only by an alias, which
// the fingerprint ignores): the shapes must still come from the first
// statements in input order, with the libpg_query calls one thread makes.
TEST_CASE("parallel read: a shape worked out by a later batch's worker is not the shape", "[workload][parallel]") {
    std::string log;
    for (int i = 0; i < 21; ++i) {
        const std::string at = "2024-05-01 08:00:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ".000 UTC [";
        // Three tables, two kinds of predicate; the first batch's alias differs from the later ones': other
        // keys, the same fingerprints.
        log += at + std::to_string(100 + i) + "]: LOG:  duration: 0.2 ms  statement: SELECT * FROM t" +
               std::string(1, static_cast<char>('a' + i % 3)) + (i < 7 ? " x" : " y") +
               " WHERE id = " + std::to_string(i) + (i % 2 ? " AND a IN (1, 2)" : " AND b = 1") + "\n";
    }
    const auto path = write_log("later-batch-first.log", log);
    std::mutex mu;
    std::condition_variable third_batch;
    bool third_batch_begun = false;
    auto held = jobs(3);  // two workers; batches of 7: statements 0-6, 7-13, 14-20
    held.prepare = [&](PreparedStatement& p) {
        std::unique_lock lock(mu);
        if (p.statement.text.find("id = 14 ") != std::string::npos) {
            third_batch_begun = true;  // its worker has finished the second batch
            third_batch.notify_all();
        } else if (p.statement.text.find("id = 6 ") != std::string::npos) {
            // The wait has a bound so that a failure cannot hang the test; it is not a timing.
            CHECK(third_batch.wait_for(lock, std::chrono::seconds(30), [&] { return third_batch_begun; }));
        }
        lock.unlock();
        prepare_statement(p);
    };
    const auto one = trace_of(path, "%m [%p]: ", jobs(1));
    REQUIRE(one.find("FROM ta x WHERE id = 0 ") != std::string::npos);  // shapes carry their first text
    REQUIRE(one.find("FROM tb x WHERE id = 1 ") != std::string::npos);
    CHECK(trace_of(path, "%m [%p]: ", held) == one);
}

TEST_CASE("parallel read: the calling thread prepares batches while it waits", "[workload][parallel]") {
    // -j 2 has no worker: a batch is prepared while another's preparation waits only when the
    // calling thread and the reader both prepare (on a log of mostly new shapes preparing is the
    // longest work).
    const auto path = write_lookups_log("calling-thread-prepares.log", 14);
    std::mutex mu;
    std::condition_variable second_batch;
    bool second_batch_prepared = false;
    auto o = jobs(2);  // batches of 7: statements 0-6, 7-13
    o.prepare = [&](PreparedStatement& p) {
        std::unique_lock lock(mu);
        if (p.statement.text.find("id = 7 ") != std::string::npos) {
            second_batch_prepared = true;
            second_batch.notify_all();
        } else if (p.statement.text.find("id = 0 ") != std::string::npos) {
            // The wait has a bound so that a failure cannot hang the test; it is not a timing.
            CHECK(second_batch.wait_for(lock, std::chrono::seconds(30), [&] { return second_batch_prepared; }));
        }
        lock.unlock();
        prepare_statement(p);
    };
    CHECK(trace_of(path, "%m [%p]: ", o) == trace_of(path, "%m [%p]: ", jobs(1)));
}

TEST_CASE("parallel read: the reader prepares the batches read ahead while the calling thread is busy",
          "[workload][parallel]") {
    // -j 2 is the reader and the calling thread, no worker: while the rules hold the calling
    // thread, only the reader can prepare the batches it read after the one being added.
    const auto path = write_lookups_log("reader-prepares.log", 35);
    std::mutex mu;
    std::condition_variable prepared;
    bool fourth_batch_prepared = false;
    auto o = jobs(2);  // batches of 7, three in flight: the fourth is read once the first is being added
    o.prepare = [&](PreparedStatement& p) {
        prepare_statement(p);
        if (p.statement.text.find("id = 21 ") == std::string::npos) return;
        std::lock_guard lock(mu);
        fourth_batch_prepared = true;
        prepared.notify_all();
    };
    bool waited = false;
    std::size_t executions = 0;
    WorkloadBuilder builder({}, [&](const Execution&) {
        if (executions++ != 0) return;
        std::unique_lock lock(mu);
        // The wait has a bound so that a failure cannot hang the test; it is not a timing.
        waited = prepared.wait_for(lock, std::chrono::seconds(30), [&] { return fourth_batch_prepared; });
    });
    ingest::IngestOptions in;
    in.inputs = {path};
    in.prefix = "%m [%p]: ";
    const auto report = read_into(in, builder, o);
    CHECK(waited);
    CHECK(executions == 35);
    CHECK(report.statements == 35);
}

TEST_CASE("parallel read: bad input is reported the same, with the same file:line", "[workload][parallel]") {
    for (const auto* name : {"tests/fixtures/ingest/bad/mixed-garbage-prefix-utf8.log",
                             "tests/fixtures/ingest/bad/json-broken-line-broken-plan.json",
                             "tests/fixtures/ingest/bad/csv-wrong-columns-unterminated.csv"}) {
        INFO(name);
        const auto one = trace_of(fixture(name), std::nullopt, jobs(1));
        REQUIRE(one.find("skipped ") != std::string::npos);
        CHECK(trace_of(fixture(name), std::nullopt, jobs(2)) == one);
    }
}

TEST_CASE("parallel read: a worker's exception reaches the caller, the threads stop", "[workload][parallel]") {
    auto o = jobs(2);
    o.prepare = [](PreparedStatement& p) {
        if (p.statement.text.find("order_items") != std::string::npos) throw std::runtime_error("worker failed");
        prepare_statement(p);
    };
    WorkloadBuilder builder;
    ingest::IngestOptions in;
    in.inputs = {fixture("examples/shop/captured/postgresql.log")};
    CHECK_THROWS_WITH(read_into(in, builder, o), "worker failed");
}

TEST_CASE("parallel read: a rule's exception on the calling thread stops the reader and the workers",
          "[workload][parallel]") {
    int seen = 0;
    WorkloadBuilder builder({}, [&](const Execution&) {
        if (++seen == 20) throw std::runtime_error("rule failed");
    });
    ingest::IngestOptions in;
    in.inputs = {fixture("examples/shop/captured/postgresql.log")};
    CHECK_THROWS_WITH(read_into(in, builder, jobs(2)), "rule failed");
    CHECK(seen == 20);  // nothing was added after the failure
}

TEST_CASE("parallel read: the reader's exception reaches the caller after the statements read before it",
          "[workload][parallel]") {
    for (unsigned n : {1u, 2u}) {
        INFO("jobs " << n);
        auto o = jobs(n);
        o.read = [](const ingest::IngestOptions&, const ingest::StatementSink& sink) -> ingest::IngestReport {
            for (int i = 0; i < 30; ++i) {
                ingest::Statement s;
                s.text = "SELECT " + std::to_string(i);
                s.pid = 1;
                sink(std::move(s));
            }
            throw std::runtime_error("reader failed");
        };
        int seen = 0;
        WorkloadBuilder builder({}, [&](const Execution&) { ++seen; });
        CHECK_THROWS_WITH(read_into({}, builder, o), "reader failed");
        CHECK(seen == 30);
    }
}

// Workers read a statement's values when the builder has published its key's reference
// (literal_values.hpp): they must be the values the builder reads itself, for every kind of value.
TEST_CASE("parallel read: values read on the workers are the ones the builder reads", "[workload][parallel]") {
    std::string log;
    for (int i = 0; i < 120; ++i) {
        const std::string at = "2024-05-01 08:00:" + std::string(i % 60 < 10 ? "0" : "") + std::to_string(i % 60) +
                               ".000 UTC [" + std::to_string(100 + i % 4) + "]: ";
        const std::string n = std::to_string(i);
        log += at + "LOG:  duration: 0.2 ms  statement: SELECT * FROM t WHERE a = -" + n + " AND b = 'it''s " + n +
               "' AND c IS NOT NULL AND d = NULL\n";
        log += at + "LOG:  duration: 0.1 ms  statement: SELECT * FROM u WHERE id IN (" + n + (i % 3 ? ", 7" : "") +
               (i % 5 ? ", -8" : "") + ")\n";
        log += at + "LOG:  duration: 0.1 ms  execute <unnamed>: SELECT * FROM v WHERE k = $1 AND m > 3.5\n";
        log += at + "DETAIL:  parameters: $1 = '" + (i % 7 ? n : std::string("NULL")) + "'\n";
    }
    const auto path = write_log("values.log", log);
    const auto one = trace_of(path, "%m [%p]: ", jobs(1));
    REQUIRE(one.find("values -0 it's 0") != std::string::npos);  // values were read, so the comparison means something
    CHECK(trace_of(path, "%m [%p]: ", jobs(2)) == one);
    CHECK(trace_of(path, "%m [%p]: ", jobs(4)) == one);
    CHECK(trace_of(path, "%m [%p]: ", loading_ahead(jobs(2))) == one);
}

TEST_CASE(
    "value references: each key's is published once, with its shape id, and values read through it are "
    "the builder's",
    "[workload][parallel]") {
    std::vector<std::vector<LiteralValue>> seen;
    std::vector<std::size_t> shape_ids;
    WorkloadBuilder builder({}, [&](const Execution& e) {
        seen.push_back(e.values);
        shape_ids.push_back(e.shape.id);
    });
    auto statement = [](const std::string& text) {
        PreparedStatement p;
        p.statement.text = text;
        p.statement.pid = 7;
        prepare_statement(p);
        return p;
    };
    // A key the builder has not met is not published; one without literals is, with no reference.
    auto first = statement("SELECT * FROM t WHERE a = -1 AND b = 'x'");
    const ValueReferences& published = builder.value_references();
    auto find = [&](const PreparedStatement& p) {
        return published.find({ValueReferences::hash_key(*p.key)}, {*p.key}).front();
    };
    CHECK(!find(first));
    builder.add(first);
    auto plain = statement("SELECT * FROM t");
    builder.add(plain);
    REQUIRE(find(first));
    CHECK(find(first)->reference != nullptr);
    CHECK(find(first)->shape_id == shape_ids.at(0));
    REQUIRE(find(plain));
    CHECK(find(plain)->reference == nullptr);
    CHECK(find(plain)->shape_id == shape_ids.at(1));
    CHECK(shape_ids.at(0) != shape_ids.at(1));

    auto next = statement("SELECT * FROM t WHERE a = -42 AND b = 'it''s'");
    REQUIRE(next.key == first.key);
    const auto found = find(next);
    REQUIRE(found);
    REQUIRE(found->reference != nullptr);
    const auto on_worker = literal_values_by(*found->reference, next.tokens, next.statement);
    next.shape_id = found->shape_id;  // as a worker gives it; the values the builder reads itself
    builder.add(next);
    REQUIRE(seen.size() == 3);
    CHECK(shape_ids.back() == shape_ids.at(0));
    CHECK(seen.back() == on_worker);
    CHECK(on_worker == std::vector<LiteralValue>{{"-42", true}, {"it's", true}});
    const Workload w = builder.finish();
    REQUIRE(w.shapes.size() == 2);
    CHECK(w.shapes[shape_ids.at(0)].stats.calls == 2);
}

// The cheap key folds the '-' of "a = -1" into the constant, so "a = 5" has the same key and
// tokens; its value was read as "-5" off the shape's first text (and "a = -42" after "a = 1" as
// "42"): a wrong value for the batch check's rows and for constant-literal partial indexes.
TEST_CASE("literal values: a sign that the shape's first text has not is unknown, not taken from it",
          "[workload][values]") {
    auto values = [](const std::string& first, const std::string& then) {
        ingest::Statement s;
        s.text = first;
        const auto shape = sql::shape_statement(first);
        REQUIRE(shape.shape);
        s.text = then;
        std::vector<std::string> out;
        for (const auto& v : literal_values(*shape.shape, s)) out.push_back(v.known ? v.text.value_or("NULL") : "?");
        return out;
    };
    using V = std::vector<std::string>;
    CHECK(values("SELECT * FROM t WHERE a = -1 AND b = 2", "SELECT * FROM t WHERE a = -7 AND b = 3") == V{"-7", "3"});
    CHECK(values("SELECT * FROM t WHERE a = -1 AND b = 2", "SELECT * FROM t WHERE a = 5 AND b = -3") == V{"?", "?"});
    CHECK(values("SELECT * FROM t WHERE a = 1", "SELECT * FROM t WHERE a = -42") == V{"?"});
    // A '-' that is an operator, in both: the constant is the number after it.
    CHECK(values("SELECT a - 1 FROM t", "SELECT a - 9 FROM t") == V{"9"});
    CHECK(values("SELECT a -1 FROM t", "SELECT a -9 FROM t") == V{"9"});
    CHECK(values("SELECT a - -1 FROM t", "SELECT a - -9 FROM t") == V{"-9"});
}

TEST_CASE("prefetch: a shape id the builder has not given out is passed over", "[workload][parallel]") {
    WorkloadBuilder builder;
    PreparedStatement known;
    known.statement.text = "SELECT * FROM t WHERE a = 1";
    known.statement.source = {"mem.log", 1, 1};
    builder.add(known);  // shape 0, with a shape and literals
    PreparedStatement unknown;
    unknown.shape_id = 0;
    auto prefetch_both_stages = [&] {
        for (auto stage : {WorkloadBuilder::PrefetchStage::Shape, WorkloadBuilder::PrefetchStage::Lists})
            builder.prefetch(unknown, stage);
    };
    prefetch_both_stages();
    // An id past the shapes: without the bounds check this reads past the list (ASan, issue 17).
    unknown.shape_id = 1'000'000;
    prefetch_both_stages();
    unknown.shape_id.reset();
    prefetch_both_stages();
    const Workload w = builder.finish();
    REQUIRE(w.shapes.size() == 1);
    CHECK(w.shapes[0].stats.calls == 1);
}

TEST_CASE("prepare_statement: a text met before is given what reading it gives, whichever texts came between",
          "[workload][parallel]") {
    // Texts no other test prepares on this thread (each thread keeps the texts it met), of
    // every kind the memo keeps: plain, with literals, with request tags, one the keying pass
    // is not sure of, one over the memo's length limit. Enough of them that they share slots.
    std::vector<std::string> texts;
    for (int i = 0; i < 3000; ++i) {
        const std::string table = "memo_t" + std::to_string(i);
        switch (i % 5) {
            case 0: texts.push_back("SELECT * FROM " + table); break;
            case 1:
                texts.push_back("SELECT a FROM " + table + " WHERE b = " + std::to_string(i) + " AND c = 'x'");
                break;
            case 2: texts.push_back("SELECT 1 FROM " + table + " /*route='/r/" + std::to_string(i) + "'*/"); break;
            case 3: texts.push_back("SELECT x'1F', 1e5 FROM " + table + " WHERE d = $1"); break;
            default: texts.push_back("SELECT '" + std::string(3000, 'v') + "' FROM " + table); break;
        }
    }
    auto prepared = [](const std::string& text) {
        PreparedStatement p;
        p.statement.text = text;
        prepare_statement(p);
        return p;
    };
    std::vector<PreparedStatement> first;
    for (const auto& t : texts) first.push_back(prepared(t));  // read: none was met before
    for (int round = 0; round < 3; ++round)                    // met again (kept from the second on)
        for (std::size_t i = 0; i < texts.size(); ++i) {
            const PreparedStatement again = prepared(texts[i]);
            REQUIRE(again.key == first[i].key);
            REQUIRE(again.tokens == first[i].tokens);
            REQUIRE(again.tags == first[i].tags);
        }
    // Different texts are told apart, however alike their keys.
    CHECK(first[1].key == prepared("SELECT a FROM memo_t1 WHERE b = 2 AND c = 'y'").key);
    CHECK(first[1].tokens != prepared("SELECT a FROM memo_t1 WHERE b = 22 AND c = 'y'").tokens);
    CHECK(first[2].tags.at("route") == "/r/2");
}
