#pragma once
// The live catalog: one read-only transaction against a PostgreSQL 12-17
// server through libpqxx 6.4, reading pg_class, pg_namespace, pg_attribute,
// pg_index, pg_constraint, pg_stats and the pg_stat_user_* views.
//
// Takes: a libpq URL or key=value string (PG* environment variables fill the
// rest, as libpq does). Gives: a Catalog, or a LiveError whose message names
// host and port and libpq's reason, never the password.

#include <pqxx/connection>

#include <memory>
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

// text with every occurrence of the connection string's password (or
// PGPASSWORD) that stands alone, not inside a longer word, replaced by
// "********" (libpq messages may echo parts of the connection string).
std::string redact_password(const std::string& text, const std::string& conninfo);

// Whether libpq can parse the connection string (key=value pairs or a URI). One
// that does not (a raw % or / in a URI's password, an unclosed IPv6 bracket) is
// never printed, not even in part: libpq's own message about it quotes it.
bool conninfo_parses(const std::string& conninfo);
// The connection string with connect_timeout=10 added when neither it nor
// PGCONNECT_TIMEOUT sets one: a server that accepts TCP and never answers
// would otherwise hang pgadvisor forever. Unchanged when it does not parse.
std::string with_default_connect_timeout(const std::string& conninfo);

// A connection for every --db use (catalog, what-if planning, rewrite checks,
// verify): refuses a connection string that does not parse, applies the default
// connect_timeout, and on failure sets error to a message naming the target
// (describe_target) with the password redacted. nullptr on failure.
std::unique_ptr<pqxx::connection> connect_to(const std::string& conninfo, std::string& error);

inline constexpr const char* kUnparsableConninfo =
    "cannot connect to PostgreSQL: the connection string does not parse as libpq key=value pairs or a "
    "postgresql:// URI (in a URI, a % or / in the password must be percent-encoded, an IPv6 host "
    "bracketed); it is not shown, since it may hold a password";

// "host=H port=P dbname=D user=U" from a connection string and PG* defaults; no password.
std::string describe_target(const std::string& conninfo);

}  // namespace pgadvisor::catalog
