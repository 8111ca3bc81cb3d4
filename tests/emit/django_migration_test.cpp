// Django migration files: AddIndexConcurrently where Django's models.Index builds the very
// index, RunSQL with the SQL layouts' statement elsewhere; atomic = False; dependencies.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "catalog/index_sql.hpp"
#include "emit/django_migration.hpp"
#include "emit/migrations.hpp"
#include "migration_fixtures.hpp"

using namespace pgadvisor;
namespace fs = std::filesystem;

namespace {

advise::Recommendation ticket_status_index() {
    advise::Recommendation rec;
    rec.kind = advise::RecommendationKind::CreateIndex;
    rec.title = "Index helpdesk_ticket (status, opened_on DESC)";
    rec.index.table = "helpdesk_ticket";
    rec.index.keys = {catalog::column_key("status"), catalog::column_key("opened_on")};
    rec.index.keys[1].descending = rec.index.keys[1].nulls_first = true;
    rec.index.name = "ticket_status_opened_idx";
    return rec;
}

emit::MigrationOptions django_options() {
    emit::MigrationOptions o;
    o.layout = catalog::MigrationLayout::Django;
    o.first_number = 2;
    o.django = {"helpdesk", "0001_initial", {"ticket"}};
    return o;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("django: a model's column index is AddIndexConcurrently, non-atomic", "[django-layout]") {
    const auto files = emit::render_migrations({ticket_status_index()}, django_options());
    REQUIRE(files.size() == 1);
    CHECK(files[0].relative_path == "0002_add_ticket_status_opened_idx.py");
    const std::string& py = files[0].content;
    CHECK(has(py, "from django.contrib.postgres.operations import AddIndexConcurrently\n"));
    CHECK(has(py, "    atomic = False\n"));
    CHECK(has(py, "    dependencies = [(\"helpdesk\", \"0001_initial\")]\n"));
    CHECK(has(
        py,
        "            model_name=\"ticket\",\n"
        "            index=models.Index(fields=[\"status\", \"-opened_on\"], name=\"ticket_status_opened_idx\"),\n"));
    CHECK(has(py, "# to the Meta.indexes of model ticket"));
    // The SQL the file stands for is the SQL layouts' statement, parsed back before writing.
    CHECK(has(files[0].sql,
              "CREATE INDEX CONCURRENTLY ticket_status_opened_idx ON helpdesk_ticket USING btree (status, "
              "opened_on DESC);"));
}

TEST_CASE("django: other indexes are RunSQL with the SQL layouts' statement and its DROP", "[django-layout]") {
    auto options = django_options();
    options.django.models.clear();  // the table is no model of the app: no model state to put it in
    const auto files = emit::render_migrations({ticket_status_index()}, options);
    REQUIRE(files.size() == 1);
    const std::string& py = files[0].content;
    CHECK_FALSE(has(py, "AddIndexConcurrently"));
    CHECK(has(py, "        migrations.RunSQL(\n            sql=[(\n"));
    CHECK(has(py,
              "\"CREATE INDEX CONCURRENTLY ticket_status_opened_idx ON helpdesk_ticket USING btree (status, "
              "opened_on DESC);\\n\"\n"));
    CHECK(has(py,
              "reverse_sql=[(\n                \"DROP INDEX CONCURRENTLY IF EXISTS ticket_status_opened_idx;\\n\"\n"));

    // A unique index: a check migration first, the build next, each depending on the one before.
    auto shop = test::shop_recommendations();
    const auto all = emit::render_migrations(shop, options);
    std::vector<std::string> names;
    for (const auto& f : all)
        if (f.role == emit::FileRole::Up) names.push_back(f.relative_path);
    REQUIRE(names.size() == 4);
    CHECK(names[2] == "0004_check_cart_items_cart_id_product_id_key.py");
    CHECK(has(all[3].content, "dependencies = [(\"helpdesk\", \"0004_check_cart_items_cart_id_product_id_key\")]"));
    CHECK(has(all[2].content, "reverse_sql=migrations.RunSQL.noop"));
    CHECK(has(all[2].content, "\"DO $pgadvisor$\\n\""));
    // A literal quote or backslash in SQL stays inside the Python string.
    CHECK(has(all[1].content, "lower(email)"));
}

TEST_CASE("django: the app, its latest migration and its models from the migrations folder", "[django-layout]") {
    std::string tmpl = (fs::temp_directory_path() / "pgadvisor-django-XXXXXX").string();
    const fs::path root = ::mkdtemp(tmpl.data());
    const auto dir = root / "helpdesk" / "migrations";
    fs::create_directories(dir);
    std::ofstream(dir / "__init__.py");
    std::ofstream(dir / "0001_initial.py") << "migrations.CreateModel(\n    name='Ticket',\n)\n";
    std::ofstream(dir / "0010_more.py") << "migrations.CreateModel(name=\"DailyStat\")\n";
    const auto app = emit::read_django_app(dir.string() + "/");
    CHECK(app.label == "helpdesk");
    CHECK(app.latest_migration == "0010_more");
    CHECK(app.models == std::set<std::string>{"ticket", "dailystat"});

    // Written there: numbered after 0010, depending on it; without an app, dependencies are left to the user.
    emit::MigrationOptions options;
    options.layout = catalog::MigrationLayout::Django;
    auto result = emit::write_migrations({ticket_status_index()}, dir.string(), options);
    REQUIRE(result.errors.empty());
    REQUIRE(fs::exists(dir / "0011_add_ticket_status_opened_idx.py"));
    CHECK(emit::read_django_app("/nonexistent/dir").label.empty());
    auto alone = django_options();
    alone.django = {};
    CHECK(has(emit::render_migrations({ticket_status_index()}, alone)[0].content,
              "set this to the\n    # app's latest migration"));
    fs::remove_all(root);
}
