#pragma once
// A Knex migration file for one index: exports.config = { transaction: false }, since
// PostgreSQL refuses CREATE/DROP INDEX CONCURRENTLY inside a transaction and Knex runs a
// migration in one unless told not to. up is knex.raw of the very statement the SQL
// layouts hold (Knex's schema builder has no CONCURRENTLY), down knex.raw of its DROP.
// No bindings are passed, so Knex leaves a "?" in the SQL as it is.
//
// Takes: the SQL pieces emit/migrations.cpp renders for every layout. Gives: the file's text.

#include <string>

namespace pgadvisor::emit {

struct KnexMigrationInput {
    std::string header_comment;  // "-- " lines: who wrote it, why, the evidence
    std::string statement_sql;   // with its own "-- " comments, as the SQL layouts hold it
    std::string reverse_sql;     // the DROP; empty: nothing to undo (a duplicates check)
};

std::string knex_migration_file(const KnexMigrationInput& in);

}  // namespace pgadvisor::emit
