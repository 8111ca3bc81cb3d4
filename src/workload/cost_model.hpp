#pragma once
// The per-row and per-lookup times of the offline cost model
// (docs/gain-model.md): what PostgreSQL 15 measured on the build machine with
// cached data. The workload stage reads a table's size from a logged duration
// with it (table_sizes.hpp); the advise stage estimates an index's gain with it
// (advise/gain_model.hpp). One model for both: a size inferred with one figure
// and a gain computed with another would not agree.
//
// Takes: nothing. Gives: CostModel.

namespace pgadvisor::workload {

// Round figures, in ms; the estimates are orders of magnitude, and their methods say so.
struct CostModel {
    double seq_row_ms = 0.0001;                  // a heap tuple read and filtered by a Seq Scan
    double descent_ms = 0.02;                    // one index lookup's fixed part: descent and executor start, cached
    double fetch_row_ms = 0.005;                 // one index tuple and its heap tuple, cached, on a page of its own
    double write_entry_ms = 0.004;               // one index entry added by an INSERT or a non-HOT UPDATE (with WAL)
    double default_eq_selectivity = 0.005;       // PostgreSQL's DEFAULT_EQ_SEL, when pg_stats has nothing
    double default_range_selectivity = 1.0 / 3;  // DEFAULT_INEQ_SEL
};

}  // namespace pgadvisor::workload
