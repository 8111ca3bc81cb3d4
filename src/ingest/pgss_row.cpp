#include "ingest/pgss_row.hpp"

#include <utility>

namespace pgadvisor::ingest {

Statement statement_from_pgss(PgssRow row, SourceLocation source) {
    Statement s;
    s.source = std::move(source);
    s.text = std::move(row.query);
    s.calls = row.calls;
    s.duration_ms = row.total_ms;
    s.query_id = row.query_id;
    s.user = std::move(row.user);
    s.database = std::move(row.database);
    return s;
}

}  // namespace pgadvisor::ingest
