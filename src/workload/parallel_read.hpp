#pragma once
// The inputs into a WorkloadBuilder on several cores, with the same result as
// on one (issue 17). A reader thread runs ingest (reading, log_line_prefix
// matching, assembling) and cuts its records into batches; each batch is
// prepared (prepare_statement: the cheap key and the value tokens; the shape of
// each statement whose key no one has met, new_shape.hpp; the values of known
// keys) by whichever thread would otherwise wait: the reader when it is
// max_batches_in_flight ahead, the calling thread when its next batch is not
// ready, and jobs - 2 workers beside them. The calling thread adds the batches
// to the builder in input order, with each session's end where the reader saw
// it, so the rules (the builder's sinks, run on the calling thread) see exactly
// what the single-threaded path shows them. The reader (or a worker) frees the
// batches the calling thread is done with. Memory stays flat: at most
// max_batches_in_flight batches are read ahead.
//
// Takes: ingest::IngestOptions (its sessions.sink is set here), a builder, a
// thread count. Gives: the IngestReport, the builder fed. An exception of the
// reader, of a worker or of the builder's sinks stops every thread and is
// thrown again on the calling thread (the first one in input order).

#include <cstddef>
#include <functional>

#include "ingest/ingest.hpp"
#include "workload/prefetch.hpp"
#include "workload/workload.hpp"

namespace pgadvisor::workload {

struct ParallelReadOptions {
    // Threads that prepare statements, in all: the reader, the calling thread and jobs - 2
    // workers. 1 or less: the single-threaded path (ingest's sink adds each statement to
    // the builder), for comparison and debugging.
    unsigned jobs = 1;
    std::size_t batch_size = 512;
    std::size_t max_batches_in_flight = 0;  // 0: jobs + 1
    // From this many shapes on, each statement's shape and value reference are asked into the
    // cache ahead of their use (prefetch.hpp); 0: always (tests).
    std::size_t prefetch_from_shapes = kPrefetchFromShapes;
    // What a worker does to each statement; prepare_statement unless a test replaces it.
    std::function<void(PreparedStatement&)> prepare = prepare_statement;
    // What the reader thread runs; ingest::ingest unless a test replaces it.
    std::function<ingest::IngestReport(const ingest::IngestOptions&, const ingest::StatementSink&)> read =
        ingest::ingest;
};

// The number of jobs by default: the machine's cores (at least 1).
unsigned default_jobs();

ingest::IngestReport read_into(const ingest::IngestOptions& options, WorkloadBuilder& builder,
                               const ParallelReadOptions& parallel);

}  // namespace pgadvisor::workload
