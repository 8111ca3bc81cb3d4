#pragma once
// An ActiveRecord migration file (Rails' db/migrate/) for one index, with
// disable_ddl_transaction!: PostgreSQL refuses CREATE/DROP INDEX CONCURRENTLY inside a
// transaction, and ActiveRecord runs a migration in one unless told not to.
//
// An index on plain btree columns (DESC as order:, unique as unique:) is add_index ...,
// algorithm: :concurrently, undone by remove_index ..., algorithm: :concurrently; any
// other (partial, expression, INCLUDE, NULLS order, operator class, another method) and a
// unique index's duplicates check are execute of the very statement the SQL layouts hold,
// undone by execute of its DROP.
//
// Takes: the SQL pieces emit/migrations.cpp renders for every layout. Gives: the file's text.

#include <string>

#include "advise/recommendation.hpp"

namespace pgadvisor::emit {

struct RailsMigrationInput {
    std::string file_name;                           // <ts>_<name>: ActiveRecord wants the class named after <name>
    std::string header_comment;                      // "-- " lines: who wrote it, why, the evidence
    std::string statement_sql;                       // with its own "-- " comments, as the SQL layouts hold it
    std::string reverse_sql;                         // the DROP; empty: nothing to undo (a duplicates check)
    const advise::IndexDefinition* index = nullptr;  // what the statement builds; none for a check
};

std::string rails_migration_file(const RailsMigrationInput& in);

}  // namespace pgadvisor::emit
