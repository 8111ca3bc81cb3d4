#include "emit/django_migration.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "catalog/index_sql.hpp"
#include "emit/python_text.hpp"
#include "sql/text.hpp"

namespace pgadvisor::emit {
namespace {

namespace fs = std::filesystem;

// Django's system check refuses a Meta.indexes name longer than this (models.E034).
constexpr std::size_t kDjangoIndexNameMax = 30;

// The model of index's table when the app's migrations create it under Django's default
// table name <app>_<model>; empty otherwise.
std::string model_of(const advise::IndexDefinition& index, const DjangoApp& app) {
    const std::string prefix = app.label + "_";
    if (app.label.empty() || index.table.rfind(prefix, 0) != 0) return "";
    const std::string model = index.table.substr(prefix.size());
    return app.models.count(model) ? model : "";
}

// Whether AddIndexConcurrently with models.Index(fields=...) builds exactly this index.
bool django_declarable(const advise::IndexDefinition& index) {
    if (index.unique || !index.predicate.empty() || !index.include.empty() || index.method != "btree") return false;
    if (catalog::index_name(index).size() > kDjangoIndexNameMax) return false;
    for (const auto& key : index.keys)
        if (key.column.empty() || !key.opclass.empty() || key.nulls_first != key.descending) return false;
    return true;
}

// models.Index(fields=["a", "-b"], name="...") for index. A field is named by its column:
// Django's get_field() finds a field by its attname too (a foreign key's "customer_id").
std::string django_index(const advise::IndexDefinition& index) {
    std::vector<std::string> fields;
    for (const auto& key : index.keys) fields.push_back(python_string((key.descending ? "-" : "") + key.column));
    return fmt::format("models.Index(fields=[{}], name={})", sql::join(fields),
                       python_string(catalog::index_name(index)));
}

std::string dependencies(const DjangoMigrationInput& in, const DjangoApp& app) {
    if (!app.label.empty() && !in.dependency.empty())
        return fmt::format("    dependencies = [({}, {})]\n", python_string(app.label), python_string(in.dependency));
    return "    # pgadvisor did not find the app's migrations (write into <app>/migrations/): set this to the\n"
           "    # app's latest migration, e.g. [(\"shop\", \"0007_order_status\")].\n"
           "    dependencies = []\n";
}

std::string run_sql(const DjangoMigrationInput& in) {
    // fmt, not "[" + text: g++ 12 warns falsely (-Wrestrict) of a prefix inserted into a string.
    const std::string reverse = in.reverse_sql.empty()
                                    ? std::string("migrations.RunSQL.noop")
                                    : fmt::format("[{}]", python_text(in.reverse_sql, "            "));
    // A list: Django runs each item as it is, without splitting it at semicolons (a DO block
    // has some) and without %-parameters.
    return std::string("        migrations.RunSQL(\n            sql=[") +
           python_text(in.statement_sql, "            ") + "],\n            reverse_sql=" + reverse + ",\n        ),\n";
}

}  // namespace

DjangoApp read_django_app(const std::string& dir) {
    DjangoApp app;
    std::error_code ec;
    auto path = fs::absolute(dir, ec).lexically_normal();
    if (!path.has_filename()) path = path.parent_path();
    if (path.filename() == "migrations") app.label = path.parent_path().filename().string();
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path file = it->path();
        const std::string stem = file.stem().string();
        if (file.extension() != ".py" || stem.empty() || !std::isdigit(static_cast<unsigned char>(stem[0]))) continue;
        if (stem > app.latest_migration) app.latest_migration = stem;  // NNNN_ prefixes sort by number
        std::ifstream in(file);
        std::stringstream text;
        text << in.rdbuf();
        const std::string s = text.str();
        for (std::size_t at = s.find("CreateModel("); at != std::string::npos; at = s.find("CreateModel(", at + 1)) {
            const std::size_t name = s.find("name=", at);
            if (name == std::string::npos) break;
            const std::size_t open = name + 5;
            if (open >= s.size() || (s[open] != '\'' && s[open] != '"')) continue;
            const std::size_t close = s.find(s[open], open + 1);
            if (close == std::string::npos) break;
            std::string model = s.substr(open + 1, close - open - 1);
            for (char& c : model) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            app.models.insert(model);
        }
    }
    return app;
}

std::string django_migration_file(const DjangoMigrationInput& in, const DjangoApp& app) {
    const std::string model = in.index ? model_of(*in.index, app) : "";
    const bool add_index = in.index && !model.empty() && django_declarable(*in.index);
    std::string out = python_comment(in.header_comment);
    if (add_index) {
        out += "#\n# AddIndexConcurrently puts this index in the model's migration state: add\n#     " +
               django_index(*in.index) + "\n# to the Meta.indexes of model " + model +
               ", or the next makemigrations proposes to remove it.\n";
        out += "from django.contrib.postgres.operations import AddIndexConcurrently\n";
        out += "from django.db import migrations, models\n";
    } else {
        out += "from django.db import migrations\n";
    }
    out += "\n\nclass Migration(migrations.Migration):\n";
    out += "    # CREATE/DROP INDEX CONCURRENTLY refuses a transaction block: run outside one.\n";
    out += "    atomic = False\n\n";
    out += dependencies(in, app);
    out += "\n    operations = [\n";
    if (add_index)
        out += fmt::format(
            "        AddIndexConcurrently(\n            model_name={},\n            index={},\n        ),\n",
            python_string(model), django_index(*in.index));
    else out += run_sql(in);
    out += "    ]\n";
    return out;
}

}  // namespace pgadvisor::emit
