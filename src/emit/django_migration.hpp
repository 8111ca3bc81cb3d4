#pragma once
// A Django migration file for one index: non-atomic (atomic = False), since PostgreSQL
// refuses CREATE INDEX CONCURRENTLY inside a transaction.
//
// A plain btree index on columns of a model the app's migrations create, named within
// Django's 30 characters, is AddIndexConcurrently (django.contrib.postgres.operations)
// with models.Index(fields=[...], name=...): Django then counts it in the model's
// migration state, and the file says which Meta.indexes line keeps makemigrations from
// proposing to remove it. Any other index (unique, partial, expression, INCLUDE, another
// table, a longer name) is migrations.RunSQL with the very statement the SQL layouts
// hold, and its DROP as reverse_sql: Django's state does not see it, so makemigrations
// never proposes to remove it.
//
// Takes: the SQL pieces emit/migrations.cpp renders for every layout, and what
// read_django_app found in the app's migrations folder. Gives: the file's text.

#include <set>
#include <string>

#include "advise/recommendation.hpp"

namespace pgadvisor::emit {

// The app a migrations folder belongs to: <app>/migrations/ by Django's convention.
struct DjangoApp {
    std::string label;             // the folder's parent's name; empty when unknown
    std::string latest_migration;  // the highest NNNN_name of the folder's .py files; empty when none
    std::set<std::string> models;  // lower-case names of the models its migrations create
};

// Reads dir (need not exist). Model names come from CreateModel(name="...") in its files.
DjangoApp read_django_app(const std::string& dir);

struct DjangoMigrationInput {
    std::string header_comment;  // "-- " lines: who wrote it, why, the evidence
    std::string statement_sql;   // the statement with its own "-- " comments, as the SQL layouts hold it
    std::string reverse_sql;     // the DROP; empty: nothing to undo (a duplicates check)
    const advise::IndexDefinition* index = nullptr;  // the index the statement builds; none for a check
    std::string dependency;                          // the migration before this one; empty: unknown
};

std::string django_migration_file(const DjangoMigrationInput& in, const DjangoApp& app);

}  // namespace pgadvisor::emit
