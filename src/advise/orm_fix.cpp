// Each ORM's form of a batched lookup and of an UPSERT, one table per ORM
// (kOrmTables at the end). Names: the model a table belongs to by the ORM's
// own convention where the table name tells it (Prisma's model "User" is table
// "User", Django's helpdesk_ticket is app helpdesk's model Ticket, Rails'
// daily_checkouts is DailyCheckout, Sequelize's model is the alias its own
// statements give the table), else a placeholder the note names.

#include "advise/orm_fix.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "sql/text.hpp"

namespace pgadvisor::advise {
namespace {

using rules::AppChange;
using workload::Orm;

// A model (class) name and whether the table's name told it; a placeholder otherwise.
struct ModelName {
    std::string name;
    bool known = false;
    bool case_guessed = false;  // the table keeps the name in lower case only (Django)
};

// The names a snippet is written with, all from the finding.
struct Names {
    ModelName model;   // of the finding's table
    ModelName parent;  // of the loop's probable parent table (BatchLookup)
    std::string table, parent_table;
    const AppChange* change = nullptr;
    const std::string& key() const { return change->key_columns.front(); }
};

bool is_identifier(std::string_view s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return true;
}

bool ends_with(std::string_view s, std::string_view tail) {
    return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

std::string upper_first(std::string s) {
    if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

std::string lower_ascii(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string lower_first(std::string s) {
    if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    return s;
}

// The plural a table name ends with, made singular only where English is regular
// (members, daily_checkouts, categories); nothing when unsure (statuses, people).
std::optional<std::string> regular_singular(const std::string& plural) {
    if (ends_with(plural, "ies") && plural.size() > 4) return plural.substr(0, plural.size() - 3) + "y";
    if (ends_with(plural, "ss") || ends_with(plural, "us") || ends_with(plural, "is") || ends_with(plural, "es"))
        return std::nullopt;
    if (ends_with(plural, "s") && plural.size() > 1) return plural.substr(0, plural.size() - 1);
    return std::nullopt;
}

// The variable a batched lookup's values are collected in: ids, postIds, ticket_ids.
std::string list_variable(const std::string& column, bool camelize) {
    return (camelize ? lower_first(camel_case(column)) : column) + "s";
}

std::string quoted_list(const std::vector<std::string>& names, const char* quote) {
    std::vector<std::string> out;
    for (const auto& n : names) out.push_back(quote + n + quote);
    return sql::join(out, ", ");
}

// The key columns then the updated ones, each once: the values an UPSERT writes.
std::vector<std::string> written_columns(const AppChange& c) {
    std::vector<std::string> out = c.key_columns;
    for (const auto& u : c.update_columns)
        if (std::find(out.begin(), out.end(), u) == out.end()) out.push_back(u);
    return out;
}

// "name=name, day=day" (Python keywords), "name: name" (Ruby, JavaScript).
std::string assignments(const std::vector<std::string>& columns, const char* between) {
    std::vector<std::string> out;
    for (const auto& c : columns) out.push_back(c + between + c);
    return sql::join(out, ", ");
}

// ---- Model names, per ORM --------------------------------------------------

ModelName placeholder(const char* name) { return {name, false}; }

// Prisma creates a model's table under the model's own name ("User"), unless
// @@map renames it: a table named like a model is taken as that model.
ModelName prisma_model(const std::string& table, const workload::Workload&, const char* fallback) {
    if (is_identifier(table) && std::isupper(static_cast<unsigned char>(table[0]))) return {table, true};
    return placeholder(fallback);
}

// Sequelize's statements alias a table by its model: "patients" AS "Patient".
ModelName sequelize_model(const std::string& table, const workload::Workload& workload, const char* fallback) {
    for (const auto& shape : workload.shapes) {
        if (!shape.shape) continue;
        for (const auto& t : shape.shape->tables)
            if (t.name == table && is_identifier(t.alias) && std::isupper(static_cast<unsigned char>(t.alias[0])))
                return {t.alias, true};
    }
    return placeholder(fallback);
}

// Django names a table <app_label>_<model name in lower case>: the model is the
// last part (app labels may hold underscores, model class names seldom do).
ModelName django_model(const std::string& table, const workload::Workload&, const char* fallback) {
    const std::size_t cut = table.rfind('_');
    if (cut == std::string::npos || cut + 1 >= table.size() || !is_identifier(table)) return placeholder(fallback);
    return {upper_first(table.substr(cut + 1)), true, true};
}

// Rails names a table by its model's plural in snake_case: daily_checkouts is DailyCheckout.
ModelName rails_model(const std::string& table, const workload::Workload&, const char* fallback) {
    if (!is_identifier(table)) return placeholder(fallback);
    const auto singular = regular_singular(table);
    return singular ? ModelName{camel_case(*singular), true} : placeholder(fallback);
}

// SQLAlchemy maps a class to any __tablename__: no convention tells the class.
ModelName sqlalchemy_model(const std::string&, const workload::Workload&, const char* fallback) {
    return placeholder(fallback);
}

// ---- Snippets, per ORM and kind ----------------------------------------------

std::string prisma_lookup(const Names& n) {
    const std::string& key = n.key();
    return fmt::format(
        "const rows = await prisma.{}.findMany({{ where: {{ {}: {{ in: {} }} }} }})\n"
        "// or on the query that loads the {} rows: include: {{ <its relation field to {}>: true }}",
        lower_first(n.model.name), key, list_variable(key, true), n.parent.known ? n.parent.name : "parent",
        n.model.name);
}

std::string prisma_upsert(const Names& n) {
    const auto& keys = n.change->key_columns;
    const std::string where = keys.size() == 1 ? keys.front()
                                               : fmt::format("{}: {{ {} }}", sql::join(keys, "_"), sql::join(keys));
    return fmt::format(
        "await prisma.{}.upsert({{\n"
        "  where: {{ {} }},\n"
        "  create: {{ {} }},\n"
        "  update: {},\n"
        "}})\n"
        "// many rows, nothing to update: prisma.{}.createMany({{ data: rows, skipDuplicates: true }})",
        lower_first(n.model.name), where, sql::join(written_columns(*n.change)),
        n.change->update_columns.empty() ? "{}" : "{ " + sql::join(n.change->update_columns) + " }",
        lower_first(n.model.name));
}

std::string sequelize_lookup(const Names& n) {
    const std::string& key = n.key();
    return fmt::format(
        "const rows = await {}.findAll({{ where: {{ {}: {} }} }})\n"
        "// or on the {} query that loads the parent rows: include: [{}]",
        n.model.name, key, list_variable(key, true), n.parent.known ? n.parent.name + ".findAll" : "findAll",
        n.model.name);
}

std::string sequelize_upsert(const Names& n) {
    const auto& c = *n.change;
    return fmt::format(
        "await {}.upsert({{ {} }}, {{ conflictFields: [{}] }})\n"
        "// many rows: {}.bulkCreate(rows, {{ {} }})",
        n.model.name, sql::join(written_columns(c)), quoted_list(c.key_columns, "'"), n.model.name,
        c.update_columns.empty() ? "ignoreDuplicates: true"
                                 : fmt::format("updateOnDuplicate: [{}]", quoted_list(c.update_columns, "'")));
}

std::string sqlalchemy_lookup(const Names& n) {
    const std::string& key = n.key();
    return fmt::format(
        "rows = session.scalars(select({0}).where({0}.{1}.in_({2}))).all()\n"
        "# or on the query that loads the parent rows: .options(selectinload({3}.<its relationship to {0}>))",
        n.model.name, key, list_variable(key, false), n.parent.name);
}

std::string sqlalchemy_upsert(const Names& n) {
    const auto& c = *n.change;
    std::vector<std::string> set;
    for (const auto& u : c.update_columns) set.push_back(fmt::format("\"{0}\": stmt.excluded.{0}", u));
    const std::string conflict = c.update_columns.empty()
                                     ? fmt::format("stmt.on_conflict_do_nothing(index_elements=[{}])",
                                                   quoted_list(c.key_columns, "\""))
                                     : fmt::format("stmt.on_conflict_do_update(index_elements=[{}], set_={{{}}})",
                                                   quoted_list(c.key_columns, "\""), sql::join(set));
    return fmt::format(
        "from sqlalchemy.dialects.postgresql import insert\n"
        "stmt = insert({}).values({})\n"
        "session.execute({})",
        n.model.name, assignments(written_columns(c), "="), conflict);
}

std::string django_lookup(const Names& n) {
    const std::string& key = n.key();
    if (!n.change->key_is_foreign)
        return fmt::format(
            "rows_by_{1} = {0}.objects.in_bulk({2}{4})\n"
            "# or on the query that loads the parent rows: {3}.objects.select_related(\"<its ForeignKey to {0}>\")",
            n.model.name, key, list_variable(key, false), n.parent.name,
            key == "id" ? "" : fmt::format(", field_name=\"{}\"", key));
    return fmt::format(
        "rows = {0}.objects.filter({1}__in={2})\n"
        "# or on the query that loads the parent rows: {3}.objects.prefetch_related(\"{4}_set\")",
        n.model.name, key, list_variable(key, false), n.parent.name, lower_ascii(n.model.name));
}

std::string django_upsert(const Names& n) {
    const auto& c = *n.change;
    const std::string conflict = c.update_columns.empty()
                                     ? std::string("ignore_conflicts=True")
                                     : fmt::format("update_conflicts=True, unique_fields=[{}], update_fields=[{}]",
                                                   quoted_list(c.key_columns, "\""),
                                                   quoted_list(c.update_columns, "\""));
    return fmt::format("{0}.objects.bulk_create([{0}({1})], {2})", n.model.name, assignments(written_columns(c), "="),
                       conflict);
}

// Rails names a has_many association by the table (:invoices), a belongs_to by
// the singular (:member); nothing when the singular is not regular.
std::string rails_association(const Names& n) {
    if (n.change->key_is_foreign) return ":" + n.table;
    const auto singular = regular_singular(n.table);
    return singular ? ":" + *singular : fmt::format(":<its belongs_to to {}>", n.model.name);
}

std::string rails_lookup(const Names& n) {
    const std::string& key = n.key();
    return fmt::format(
        "rows = {}.where({}: {}).to_a\n"
        "# or on the query that loads the parent rows: {}.includes({})",
        n.model.name, key, list_variable(key, false), n.parent.name, rails_association(n));
}

std::string rails_upsert(const Names& n) {
    const auto& c = *n.change;
    std::vector<std::string> keys;
    for (const auto& k : c.key_columns) keys.push_back(":" + k);
    return fmt::format("{}.{}({{ {} }}, unique_by: [{}])", n.model.name, c.update_columns.empty() ? "insert" : "upsert",
                       assignments(written_columns(c), ": "), sql::join(keys));
}

// ---- The tables -----------------------------------------------------------------

using ModelNamer = ModelName (*)(const std::string& table, const workload::Workload&, const char* fallback);
using Snippet = std::string (*)(const Names&);

struct OrmTable {
    Orm orm;
    ModelNamer model;
    Snippet batch_lookup;
    Snippet upsert;
    const char* lookup_note;  // what the eager-loading form needs, and where names are guessed
    const char* upsert_note;  // the ORM's own check-then-insert calls, and what the UPSERT call needs
};

const OrmTable kOrmTables[] = {
    {Orm::Prisma, prisma_model, prisma_lookup, prisma_upsert,
     "One findMany with `in` replaces the loop; `include` on the parent query makes Prisma send that same IN "
     "query itself. Field names are the columns' (unless @map renames them).",
     "upsert needs @@unique (or @id) on exactly these fields; Prisma sends it as one INSERT ... ON CONFLICT only "
     "when its where names one unique key with the same values as create and nothing is nested (Prisma 4.6+), "
     "otherwise it is itself a SELECT then an INSERT."},
    {Orm::Sequelize, sequelize_model, sequelize_lookup, sequelize_upsert,
     "One findAll with an array value (WHERE ... IN) replaces the loop; `include` on the parent's findAll loads the "
     "association with a JOIN. Attribute names are the columns' (underscored: true maps camelCase attributes to "
     "them).",
     "upsert sends INSERT ... ON CONFLICT on PostgreSQL and needs a unique index on the conflictFields; "
     "findOrCreate is itself a check-then-insert (a SELECT, then an INSERT in a function it creates)."},
    {Orm::SqlAlchemy, sqlalchemy_model, sqlalchemy_lookup, sqlalchemy_upsert,
     "One select with in_() replaces the loop; selectinload on the parent query makes SQLAlchemy send that IN "
     "query once.",
     "insert() from sqlalchemy.dialects.postgresql; index_elements must match a unique index or constraint "
     "exactly. A session.get() or query().first() before session.add() is itself a check-then-insert."},
    {Orm::Django, django_model, django_lookup, django_upsert,
     "select_related follows a ForeignKey with a JOIN; prefetch_related loads a reverse relation with one IN query "
     "(<model>_set unless the ForeignKey sets related_name).",
     "bulk_create(update_conflicts=True, ...) needs Django 4.1+ and a unique constraint on unique_fields. "
     "get_or_create and update_or_create are themselves a check-then-insert (a SELECT, then an INSERT)."},
    {Orm::ActiveRecord, rails_model, rails_lookup, rails_upsert,
     "where(column: array) sends one IN query; includes on the parent query preloads the association the same way.",
     "upsert and insert need a unique index on unique_by and skip validations and callbacks; find_or_create_by is "
     "itself a check-then-insert (create_or_find_by relies on the unique index instead)."},
};

const OrmTable* table_of(Orm orm) {
    for (const auto& t : kOrmTables)
        if (t.orm == orm) return &t;
    return nullptr;
}

// Every column name must be an identifier in any of the languages: else no snippet.
bool plain_names(const AppChange& c) {
    if (c.key_columns.empty()) return false;
    for (const auto& v : {c.key_columns, c.update_columns})
        for (const auto& name : v)
            if (!is_identifier(name)) return false;
    return true;
}

// Which names are placeholders, said so the reader fills them in.
std::string placeholder_note(const Names& n) {
    std::string out;
    if (n.model.case_guessed)
        out += fmt::format(
            " {} is the model of table {}; the table keeps its name in lower case only, so check "
            "the capitalisation.",
            n.model.name, n.table);
    if (!n.model.known) out += fmt::format(" {} stands for your model for table {}.", n.model.name, n.table);
    if (n.change->kind == AppChange::Kind::BatchLookup && !n.parent.known)
        out += n.parent_table.empty()
                   ? fmt::format(" {} stands for the model whose rows the loop iterates over.", n.parent.name)
                   : fmt::format(" {} stands for your model for table {}.", n.parent.name, n.parent_table);
    return out;
}

}  // namespace

// snake_case to CamelCase: daily_checkouts -> DailyCheckouts.
std::string camel_case(std::string_view snake) {
    std::string out;
    bool up = true;
    for (char c : snake) {
        if (c == '_') {
            up = true;
            continue;
        }
        out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        up = false;
    }
    return out;
}

std::optional<OrmFix> orm_fix_for(const rules::Finding& finding, const workload::Workload& workload) {
    const AppChange& change = finding.app_change;
    if (change.kind == AppChange::Kind::None || !plain_names(change) || finding.table.empty()) return std::nullopt;
    // A key unique among rows not deleted: the ORMs' upsert calls name no partial index's
    // predicate (Django's unique_fields, Sequelize's conflictFields, Prisma's @@unique), so the
    // fix is the UPSERT statement itself (its review file), not an ORM call that would fail.
    if (change.kind == AppChange::Kind::Upsert && !change.key_scope.empty()) return std::nullopt;
    const auto& detection = workload.orm;
    if (detection.confidence == workload::OrmConfidence::None || detection.confidence == workload::OrmConfidence::Low)
        return std::nullopt;
    const OrmTable* t = table_of(detection.orm);
    if (!t) return std::nullopt;
    Names names;
    names.table = finding.table;
    names.parent_table = change.parent_table;
    names.change = &change;
    names.model = t->model(finding.table, workload, "Model");
    names.parent = change.parent_table.empty() ? placeholder("Parent")
                                               : t->model(change.parent_table, workload, "Parent");
    const bool lookup = change.kind == AppChange::Kind::BatchLookup;
    OrmFix fix;
    fix.orm = detection.orm;
    fix.code = lookup ? t->batch_lookup(names) : t->upsert(names);
    fix.note = std::string(lookup ? t->lookup_note : t->upsert_note) + placeholder_note(names);
    return fix;
}

}  // namespace pgadvisor::advise
