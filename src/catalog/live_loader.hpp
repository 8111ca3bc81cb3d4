#pragma once
// The live catalog: one read-only transaction against a PostgreSQL 12-17
// server through libpqxx 6.4, reading pg_class, pg_namespace, pg_attribute,
// pg_index, pg_constraint, pg_stats and the pg_stat_user_* views.
//
// Takes: a libpq URL or key=value string (PG* environment variables fill the
// rest, as libpq does). Gives: a Catalog, or a LiveError whose message names
// host and port and libpq's reason, never the password.

#include <optional>
#include <string>

#include "catalog/catalog.hpp"

namespace pgadvisor::catalog {

struct LiveOptions {
    std::string conninfo;  // "" = libpq defaults (PGHOST, PGPORT, ...)
    int statement_timeout_ms = 5000;
    bool statistics = true;  // read pg_stats
};

struct LiveError {
    std::string message;
    bool connection = false;  // could not connect (the CLI exits 2)
};

struct LiveResult {
    std::optional<Catalog> catalog;
    std::optional<LiveError> error;
};

LiveResult load_live(const LiveOptions& options);

// text with every occurrence of the connection string's password replaced by
// "********" (libpq messages may echo parts of the connection string).
std::string redact_password(const std::string& text, const std::string& conninfo);

// "host=H port=P dbname=D user=U" from a connection string and PG* defaults; no password.
std::string describe_target(const std::string& conninfo);

}  // namespace pgadvisor::catalog
