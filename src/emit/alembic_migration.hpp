#pragma once
// An Alembic revision file for one index, its statements inside
// `with op.get_context().autocommit_block():` (PostgreSQL refuses CREATE/DROP INDEX
// CONCURRENTLY inside a transaction, and Alembic runs a revision inside one).
//
// An index on plain columns in btree order (INCLUDE allowed) is op.create_index(...,
// postgresql_concurrently=True); any other (partial, expression, DESC, operator class,
// another method) and a unique index's duplicates check are op.execute() of the very
// statement the SQL layouts hold. The downgrade is op.drop_index(...,
// postgresql_concurrently=True), or nothing for a check.
//
// Takes: the SQL pieces emit/migrations.cpp renders for every layout, and the revision
// before (read_alembic_head). Gives: the file's text.

#include <string>

#include "advise/recommendation.hpp"

namespace pgadvisor::emit {

// The head revision of an Alembic versions folder: the revision no other file names as
// its down_revision; empty when the folder has none (or several heads: the first).
std::string read_alembic_head(const std::string& dir);

struct AlembicRevisionInput {
    std::string revision;
    std::string down_revision;                       // empty: None (the first revision)
    std::string title;                               // the docstring's first line
    std::string header_comment;                      // "-- " lines: who wrote it, why, the evidence
    std::string statement_sql;                       // with its own "-- " comments, as the SQL layouts hold it
    std::string reverse_sql;                         // the DROP; empty: nothing to undo (a duplicates check)
    const advise::IndexDefinition* index = nullptr;  // what the statement builds; none for a check
};

std::string alembic_revision_file(const AlembicRevisionInput& in);

}  // namespace pgadvisor::emit
