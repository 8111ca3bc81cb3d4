#include "workload/parallel_read.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "workload/new_shape.hpp"
#include "workload/prefetch.hpp"

namespace pgadvisor::workload {
namespace {

// A run of records in input order: statements, and the sessions that ended
// between them (`before` = how many of the batch's statements came first).
struct Batch {
    std::vector<PreparedStatement> statements;
    struct Ended {
        std::size_t before = 0;
        ingest::SessionEnd end;
    };
    std::vector<Ended> session_ends;
    bool ready = false;        // prepared by a worker
    std::exception_ptr error;  // what a worker threw while preparing it
};

// Thrown inside the reader's sink to stop ingest when the pipeline is stopping.
struct Stopped {};

class Pipeline {
public:
    Pipeline(const ParallelReadOptions& options, WorkloadBuilder& builder)
        : options_(options),
          builder_(builder),
          // One batch for each thread that prepares (the workers and this one) and one read
          // ahead: a prepared batch holds its new shapes' descriptions, and 4 x jobs batches of
          // the 50,000-shape log held 20 MB more than this, for no speed (docs/benchmarks.md).
          max_in_flight_(options.max_batches_in_flight ? options.max_batches_in_flight
                                                       : static_cast<std::size_t>(options.jobs) + 1) {}

    // Stops and joins every thread, also when the calling thread leaves by an exception.
    ~Pipeline() {
        stop();
        for (auto& t : workers_) t.join();
        if (reader_.joinable()) reader_.join();
    }

    ingest::IngestReport run(const ingest::IngestOptions& options) {
        // The reader and this thread prepare batches too, whenever they would wait (submit,
        // next_in_order): jobs - 2 workers beside them keep jobs threads busy, no more threads
        // than cores. A third thread on two cores took turns with the reader, whose code and
        // data then left its core's caches: the reader ran 38% slower than in ingest (perf,
        // docs/benchmarks.md).
        const unsigned workers = options_.jobs > 2 ? options_.jobs - 2 : 0;
        for (unsigned i = 0; i < workers; ++i) workers_.emplace_back([this] { prepare_batches(); });
        reader_ = std::thread([this, options] { read(options); });
        while (auto batch = next_in_order()) {
            add_to_builder(*batch);
            hand_to_workers_to_free(std::move(batch));
        }
        reader_.join();
        if (reader_error_) std::rethrow_exception(reader_error_);
        return std::move(report_);
    }

private:
    // The reader thread: ingest, its records cut into batches.
    void read(ingest::IngestOptions options) {
        // Room for a whole batch up front: growing it moved every statement read so far.
        auto new_batch = [&] {
            auto b = std::make_shared<Batch>();
            b->statements.reserve(options_.batch_size);
            return b;
        };
        auto batch = new_batch();
        options.sessions.sink = [&](const ingest::SessionEnd& end) {
            batch->session_ends.push_back({batch->statements.size(), end});
        };
        std::exception_ptr error;
        try {
            report_ = options_.read(options, [&](ingest::Statement&& s) {
                // Stopping (the calling thread left by an exception): read no further.
                if (stop_requested_.load(std::memory_order_relaxed)) throw Stopped{};
                batch->statements.emplace_back(std::move(s));
                if (batch->statements.size() >= options_.batch_size) {
                    submit(std::move(batch));
                    batch = new_batch();
                }
            });
        } catch (const Stopped&) {
            batch.reset();
        } catch (...) {
            error = std::current_exception();
        }
        try {
            // What was read before an error is added first, as on one thread.
            if (batch) submit(std::move(batch));
            if (!error) prepare_the_rest();
        } catch (const Stopped&) {
        }
        std::lock_guard lock(mu_);
        reader_error_ = error;
        reading_done_ = true;
        ready_.notify_all();
        work_.notify_all();  // idle workers wait for more work or for the end of reading
    }

    // Hands a batch to the workers and queues it for the calling thread. While
    // max_in_flight_ batches are read ahead (memory stays flat), the reader frees spent
    // batches (it allocated them: they go back to its own cache of free memory) and
    // prepares batches no one has taken, and waits only when there is neither.
    void submit(std::shared_ptr<Batch> batch) {
        std::unique_lock lock(mu_);
        for (;;) {
            if (stopping_) throw Stopped{};
            if (!to_free_.empty()) {
                auto spent = std::move(to_free_.front());
                to_free_.pop_front();
                lock.unlock();
                spent.reset();
                lock.lock();
                continue;
            }
            if (in_order_.size() < max_in_flight_) break;
            if (!to_prepare_.empty()) {
                auto waiting = std::move(to_prepare_.front());
                to_prepare_.pop_front();
                lock.unlock();
                prepare(*waiting);
                lock.lock();
                continue;
            }
            room_.wait(lock);
        }
        in_order_.push_back(batch);
        to_prepare_.push_back(std::move(batch));
        work_.notify_one();
        ready_.notify_one();  // the calling thread prepares batches while it waits (next_in_order)
    }

    // Reading is over: the reader prepares what no one has taken yet, beside the calling thread.
    void prepare_the_rest() {
        std::unique_lock lock(mu_);
        while (!stopping_ && !to_prepare_.empty()) {
            auto waiting = std::move(to_prepare_.front());
            to_prepare_.pop_front();
            lock.unlock();
            prepare(*waiting);
            lock.lock();
        }
    }

    // A batch the builder is done with. Its statements' memory was allocated by the
    // reader; freeing it was 6% of the calling thread's instructions (callgrind,
    // issue 17), so the reader (submit) or a worker frees it.
    void hand_to_workers_to_free(std::shared_ptr<Batch> batch) {
        std::lock_guard lock(mu_);
        to_free_.push_back(std::move(batch));
        work_.notify_one();
        room_.notify_one();  // a reader waiting for room frees it
    }

    // A worker thread: frees spent batches and prepares new ones until there are no more.
    void prepare_batches() {
        for (;;) {
            std::shared_ptr<Batch> batch;
            std::shared_ptr<Batch> spent;
            {
                std::unique_lock lock(mu_);
                work_.wait(lock,
                           [&] { return stopping_ || !to_prepare_.empty() || !to_free_.empty() || reading_done_; });
                if (!to_free_.empty()) {
                    spent = std::move(to_free_.front());
                    to_free_.pop_front();
                }
                if (stopping_ || (to_prepare_.empty() && !spent)) break;
                if (!to_prepare_.empty()) {
                    batch = std::move(to_prepare_.front());
                    to_prepare_.pop_front();
                }
            }
            spent.reset();  // outside the lock
            if (batch) prepare(*batch);
        }
    }

    // Prepares a batch taken off to_prepare_ (outside the lock), and says it is ready.
    void prepare(Batch& batch) {
        try {
            for (auto& p : batch.statements) options_.prepare(p);
            const Keyed keyed = keyed_statements(batch.statements);
            work_out_new_shapes(batch.statements, keyed);
            read_values(keyed);
        } catch (...) {
            batch.error = std::current_exception();
        }
        std::lock_guard lock(mu_);
        batch.ready = true;
        ready_.notify_all();
    }

    // A batch's statements that have a key, with each key's hash (ValueReferences::hash_key), taken
    // once: the key claims and the value references are both looked up by it.
    struct Keyed {
        std::vector<PreparedStatement*> statements;
        std::vector<std::uint64_t> hashes;
    };

    static Keyed keyed_statements(std::vector<PreparedStatement>& statements) {
        Keyed keyed;
        for (auto& p : statements) {
            if (!p.key) continue;
            keyed.statements.push_back(&p);
            keyed.hashes.push_back(ValueReferences::hash_key(*p.key));
        }
        return keyed;
    }

    // The shapes of the batch's statements whose key no worker has met (new_shape.hpp), worked
    // out here so that the calling thread only registers them: shaping 50,000 new shapes there
    // kept one core busy while the other waited (issue 17). A statement without a key is
    // identified each time, as the Aggregator does. Only the first worker to claim an identity
    // describes it (shapes the text): statements of other keys often share one (IN lists).
    void work_out_new_shapes(std::vector<PreparedStatement>& statements, const Keyed& keyed) {
        const std::vector<bool> new_key = key_claims_.claim(keyed.hashes);
        std::vector<PreparedStatement*> to_identify;
        for (std::size_t i = 0; i < keyed.statements.size(); ++i)
            if (new_key[i]) to_identify.push_back(keyed.statements[i]);
        for (auto& p : statements)
            if (!p.key && !p.statement.text.empty()) to_identify.push_back(&p);
        for (auto* p : to_identify) {
            NewShape& shape = p->new_shape.emplace();
            shape.identity = identify_shape(p->statement.text, [&](const std::string& id) {
                return identity_claims_.claim_one(std::hash<std::string>{}(id));
            });
            if (!shape.identity.is_new) continue;
            // The builder keeps each new shape (Aggregator::KeepShapes::Yes): shape the text here.
            shape.description = describe_shape(p->statement.text, shape.identity, /*keep_shape=*/true);
            shape.identity.tree.reset();  // shaped: the batch need not hold it
        }
    }

    // The values of the statements whose key the builder has met (published its reference): reading
    // them was the largest entry of the calling thread, and here the statement's text is still in
    // this core's cache. The others' the builder reads itself, the same way (literal_values.hpp).
    void read_values(const Keyed& keyed) {
        std::vector<std::string_view> keys;
        keys.reserve(keyed.statements.size());
        for (const auto* p : keyed.statements) keys.push_back(*p->key);
        const bool ahead = builder_.value_references().size() >= options_.prefetch_from_shapes;
        const auto found = builder_.value_references().find(keyed.hashes, keys, ahead);
        // The references' literals, asked for all at once (find loaded the references).
        if (ahead)
            for (const auto& f : found)
                if (f && f->reference && !f->reference->literals.empty())
                    prefetch_bytes(f->reference->literals.data(), 1);
        for (std::size_t i = 0; i < keyed.statements.size(); ++i) {
            if (!found[i]) continue;
            PreparedStatement& p = *keyed.statements[i];
            p.shape_id = found[i]->shape_id;
            if (found[i]->reference) p.values = literal_values_by(*found[i]->reference, p.tokens, p.statement);
        }
    }

    // The calling thread: the oldest batch once it is prepared; null when all are done.
    // While it waits, it prepares batches no worker has taken: on a log of mostly new
    // shapes the workers are the longest thread, and the calling thread would be idle.
    std::shared_ptr<Batch> next_in_order() {
        std::unique_lock lock(mu_);
        for (;;) {
            ready_.wait(lock, [&] {
                return (!in_order_.empty() && in_order_.front()->ready) || (in_order_.empty() && reading_done_) ||
                       !to_prepare_.empty();
            });
            if (in_order_.empty() || in_order_.front()->ready) break;
            auto batch = std::move(to_prepare_.front());
            to_prepare_.pop_front();
            lock.unlock();
            prepare(*batch);
            lock.lock();
        }
        if (in_order_.empty()) return nullptr;
        auto batch = std::move(in_order_.front());
        in_order_.pop_front();
        room_.notify_one();
        return batch;
    }

    static constexpr std::size_t kFarAhead = 8, kNearAhead = 3;
    void add_to_builder(Batch& batch) {
        if (batch.error) std::rethrow_exception(batch.error);
        auto ended = batch.session_ends.begin();
        const std::size_t n = batch.statements.size();
        const bool ahead = builder_.shape_count() >= options_.prefetch_from_shapes;
        for (std::size_t i = 0; i <= n; ++i) {
            using Stage = WorkloadBuilder::PrefetchStage;
            if (ahead && i + kFarAhead < n) builder_.prefetch(batch.statements[i + kFarAhead], Stage::Shape);
            if (ahead && i + kNearAhead < n) builder_.prefetch(batch.statements[i + kNearAhead], Stage::Lists);
            for (; ended != batch.session_ends.end() && ended->before == i; ++ended) builder_.end_session(ended->end);
            if (i < n) builder_.add(batch.statements[i]);
        }
    }

    void stop() {
        stop_requested_ = true;
        std::lock_guard lock(mu_);
        stopping_ = true;
        room_.notify_all();
        work_.notify_all();
        ready_.notify_all();
    }

    const ParallelReadOptions& options_;
    WorkloadBuilder& builder_;
    const std::size_t max_in_flight_;
    std::mutex mu_;
    std::condition_variable room_, work_, ready_;
    std::deque<std::shared_ptr<Batch>> in_order_;    // read, not yet added to the builder
    std::deque<std::shared_ptr<Batch>> to_prepare_;  // read, no worker has taken it yet
    std::deque<std::shared_ptr<Batch>> to_free_;     // added to the builder, for a worker to free
    bool reading_done_ = false, stopping_ = false;
    std::atomic<bool> stop_requested_{false};  // stopping_, read by the reader without the lock
    std::exception_ptr reader_error_;
    NewShapeClaims key_claims_, identity_claims_;  // keys and identities a worker has worked out
    ingest::IngestReport report_;
    // libpg_query frees a thread's memory when the thread ends (docs/libraries.md): no pg_query_exit() on these.
    std::vector<std::thread> workers_;
    std::thread reader_;
};

}  // namespace

unsigned default_jobs() { return std::max(1u, std::thread::hardware_concurrency()); }

ingest::IngestReport read_into(const ingest::IngestOptions& options, WorkloadBuilder& builder,
                               const ParallelReadOptions& parallel) {
    if (parallel.jobs <= 1) {
        ingest::IngestOptions in = options;
        in.sessions.sink = [&](const ingest::SessionEnd& end) { builder.end_session(end); };
        return parallel.read(in, [&](ingest::Statement&& s) { builder.add(s); });
    }
    Pipeline pipeline(parallel, builder);
    return pipeline.run(options);
}

}  // namespace pgadvisor::workload
