// The ORM form of a fix (advise/orm_fix.hpp): each ORM x each kind of
// application change, the model names each ORM's convention gives, and the
// cases that must give no ORM code at all (unknown or unsure ORM, odd names).
#include <catch2/catch.hpp>

#include <string>

#include "advise/orm_fix.hpp"

using namespace pgadvisor;
using workload::Orm;
using workload::OrmConfidence;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

workload::Workload workload_of(Orm orm, OrmConfidence confidence = OrmConfidence::High) {
    workload::Workload w;
    w.orm.orm = orm;
    w.orm.confidence = confidence;
    return w;
}

// An N+1 finding as n-plus-one writes it: the looped table and column, the parent's table.
rules::Finding lookup(const std::string& table, const std::string& column, bool foreign,
                      const std::string& parent_table = "") {
    rules::Finding f;
    f.rule_id = "n-plus-one";
    f.table = table;
    f.rewrite_sql = "SELECT * FROM " + table + " WHERE " + column + " = ANY($1)";
    f.app_change.kind = rules::AppChange::Kind::BatchLookup;
    f.app_change.key_columns = {column};
    f.app_change.key_is_foreign = foreign;
    f.app_change.parent_table = parent_table;
    return f;
}

// A check-then-insert finding: the conflict key and what DO UPDATE sets (none: DO NOTHING).
rules::Finding upsert(const std::string& table, std::vector<std::string> keys, std::vector<std::string> updates = {}) {
    rules::Finding f;
    f.rule_id = "check-then-insert";
    f.table = table;
    f.app_change.kind = rules::AppChange::Kind::Upsert;
    f.app_change.key_columns = std::move(keys);
    f.app_change.update_columns = std::move(updates);
    return f;
}

advise::OrmFix fix_of(const rules::Finding& f, const workload::Workload& w) {
    auto fix = advise::orm_fix_for(f, w);
    REQUIRE(fix);
    CHECK_FALSE(fix->code.empty());
    CHECK_FALSE(fix->note.empty());
    return *fix;
}

// A shape reading `table` under the alias Sequelize gives it: its model's name.
workload::ShapeInfo aliased(const std::string& table, const std::string& alias) {
    workload::ShapeInfo info;
    sql::QueryShape shape;
    shape.tables.push_back({"", table, alias, false});
    info.shape = shape;
    return info;
}

}  // namespace

TEST_CASE("orm fix: Prisma batches with findMany in / include and upserts on the compound key", "[orm-fix]") {
    const auto w = workload_of(Orm::Prisma);
    const auto n1 = fix_of(lookup("User", "id", false, "Post"), w);
    CHECK(n1.orm == Orm::Prisma);
    CHECK(contains(n1.code, "await prisma.user.findMany({ where: { id: { in: ids } } })"));
    CHECK(contains(n1.code, "on the query that loads the Post rows: include: { <its relation field to User>: true }"));
    const auto many = fix_of(lookup("Comment", "postId", true), w);
    CHECK(contains(many.code, "prisma.comment.findMany({ where: { postId: { in: postIds } } })"));
    CHECK(contains(many.note, "Field names are the columns'"));

    const auto up = fix_of(upsert("Follow", {"followerId", "followeeId"}), w);
    CHECK(contains(up.code, "await prisma.follow.upsert({"));
    CHECK(contains(up.code, "where: { followerId_followeeId: { followerId, followeeId } }"));
    CHECK(contains(up.code, "create: { followerId, followeeId }"));
    CHECK(contains(up.code, "update: {}"));
    CHECK(contains(up.code, "createMany({ data: rows, skipDuplicates: true })"));
    const auto counted = fix_of(upsert("PostDailyView", {"postId", "day"}, {"views"}), w);
    CHECK(contains(counted.code, "create: { postId, day, views }"));
    CHECK(contains(counted.code, "update: { views }"));
    CHECK(contains(counted.note, "@@unique"));
}

TEST_CASE("orm fix: a Prisma table that is not named like a model gets a placeholder", "[orm-fix]") {
    // @@map("users") renames the model's table: nothing in the name says the model is User.
    const auto fix = fix_of(lookup("users", "id", false), workload_of(Orm::Prisma));
    CHECK(contains(fix.code, "prisma.model.findMany"));
    CHECK(contains(fix.note, "Model stands for your model for table users."));
}

TEST_CASE("orm fix: Sequelize names the model its statements alias the table as", "[orm-fix]") {
    auto w = workload_of(Orm::Sequelize);
    w.shapes.push_back(aliased("patients", "Patient"));
    w.shapes.push_back(aliased("appointments", "Appointment"));
    const auto n1 = fix_of(lookup("patients", "id", false, "appointments"), w);
    CHECK(contains(n1.code, "const rows = await Patient.findAll({ where: { id: ids } })"));
    CHECK(contains(n1.code, "on the Appointment.findAll query that loads the parent rows: include: [Patient]"));
    const auto up = fix_of(upsert("patients", {"day", "doctor_id"}, {"slots"}), w);
    CHECK(
        contains(up.code, "await Patient.upsert({ day, doctor_id, slots }, { conflictFields: ['day', 'doctor_id'] })"));
    CHECK(contains(up.code, "Patient.bulkCreate(rows, { updateOnDuplicate: ['slots'] })"));
    CHECK(contains(up.note, "findOrCreate is itself a check-then-insert"));
    const auto nothing = fix_of(upsert("patients", {"day"}), w);
    CHECK(contains(nothing.code, "ignoreDuplicates: true"));

    // No statement aliases daily_slots: the model is not known, so it is not guessed.
    const auto unknown = fix_of(upsert("daily_slots", {"day"}), w);
    CHECK(contains(unknown.code, "await Model.upsert("));
    CHECK(contains(unknown.note, "Model stands for your model for table daily_slots."));
}

TEST_CASE("orm fix: SQLAlchemy batches with in_ / selectinload and upserts with on_conflict_do_update", "[orm-fix]") {
    const auto w = workload_of(Orm::SqlAlchemy);
    const auto n1 = fix_of(lookup("invoice", "visit_id", true, "visit"), w);
    CHECK(contains(n1.code, "rows = session.scalars(select(Model).where(Model.visit_id.in_(visit_ids))).all()"));
    CHECK(contains(n1.code, ".options(selectinload(Parent.<its relationship to Model>))"));
    // SQLAlchemy maps a class to any table name: both names are placeholders, and said so.
    CHECK(contains(n1.note, "Model stands for your model for table invoice."));
    CHECK(contains(n1.note, "Parent stands for your model for table visit."));

    const auto up = fix_of(upsert("visit_counter", {"day", "doctor_id"}, {"visits"}), w);
    CHECK(contains(up.code, "from sqlalchemy.dialects.postgresql import insert"));
    CHECK(contains(up.code, "stmt = insert(Model).values(day=day, doctor_id=doctor_id, visits=visits)"));
    CHECK(contains(up.code,
                   "stmt.on_conflict_do_update(index_elements=[\"day\", \"doctor_id\"], "
                   "set_={\"visits\": stmt.excluded.visits})"));
    const auto nothing = fix_of(upsert("drug", {"name"}), w);
    CHECK(contains(nothing.code, "stmt.on_conflict_do_nothing(index_elements=[\"name\"])"));
}

TEST_CASE("orm fix: Django selects or prefetches related rows and upserts with bulk_create", "[orm-fix]") {
    const auto w = workload_of(Orm::Django);
    const auto one = fix_of(lookup("helpdesk_customer", "id", false, "helpdesk_ticket"), w);
    CHECK(contains(one.code, "rows_by_id = Customer.objects.in_bulk(ids)"));
    CHECK(contains(one.code, "Ticket.objects.select_related(\"<its ForeignKey to Customer>\")"));
    const auto many = fix_of(lookup("helpdesk_comment", "ticket_id", true, "helpdesk_ticket"), w);
    CHECK(contains(many.code, "rows = Comment.objects.filter(ticket_id__in=ticket_ids)"));
    CHECK(contains(many.code, "Ticket.objects.prefetch_related(\"comment_set\")"));

    const auto up = fix_of(upsert("helpdesk_dailystat", {"agent_id", "day"}, {"tickets"}), w);
    CHECK(contains(up.code,
                   "Dailystat.objects.bulk_create([Dailystat(agent_id=agent_id, day=day, tickets=tickets)], "
                   "update_conflicts=True, unique_fields=[\"agent_id\", \"day\"], update_fields=[\"tickets\"])"));
    CHECK(contains(up.note, "get_or_create and update_or_create are themselves a check-then-insert"));
    // The class is DailyStat, but the table keeps only "dailystat": the note says the case is a guess.
    CHECK(contains(up.note,
                   "Dailystat is the model of table helpdesk_dailystat; the table keeps its name in lower "
                   "case only, so check the capitalisation."));
    const auto nothing = fix_of(upsert("helpdesk_tag", {"name"}), w);
    CHECK(contains(nothing.code, "Tag.objects.bulk_create([Tag(name=name)], ignore_conflicts=True)"));
}

TEST_CASE("orm fix: Rails includes the association and upserts with unique_by", "[orm-fix]") {
    const auto w = workload_of(Orm::ActiveRecord);
    const auto one = fix_of(lookup("members", "id", false, "loans"), w);
    CHECK(contains(one.code, "rows = Member.where(id: ids).to_a"));
    CHECK(contains(one.code, "Loan.includes(:member)"));
    const auto many = fix_of(lookup("book_categories", "book_id", true, "books"), w);
    CHECK(contains(many.code, "BookCategory.where(book_id: book_ids)"));
    CHECK(contains(many.code, "Book.includes(:book_categories)"));

    const auto up = fix_of(upsert("daily_checkouts", {"day", "branch"}, {"checkouts"}), w);
    CHECK(contains(
        up.code,
        "DailyCheckout.upsert({ day: day, branch: branch, checkouts: checkouts }, unique_by: [:day, :branch])"));
    CHECK(contains(up.note, "find_or_create_by is itself a check-then-insert"));
    const auto nothing = fix_of(upsert("holds", {"member_id", "book_id"}), w);
    CHECK(contains(nothing.code,
                   "Hold.insert({ member_id: member_id, book_id: book_id }, unique_by: [:member_id, :book_id])"));

    // An irregular plural is not guessed at (statuses is Status, not Statuse).
    const auto odd = fix_of(upsert("statuses", {"name"}), w);
    CHECK(contains(odd.code, "Model.insert("));
    CHECK(contains(odd.note, "Model stands for your model for table statuses."));
}

TEST_CASE("orm fix: none when the ORM is unknown or unsure, or the finding changes no code", "[orm-fix]") {
    const auto f = lookup("User", "id", false);
    // A wrong ORM's code is worse than none: low confidence gives nothing.
    CHECK_FALSE(advise::orm_fix_for(f, workload_of(Orm::Unknown, OrmConfidence::None)));
    CHECK_FALSE(advise::orm_fix_for(f, workload_of(Orm::Prisma, OrmConfidence::Low)));
    CHECK(advise::orm_fix_for(f, workload_of(Orm::Prisma, OrmConfidence::Medium)));
    // A seq-scan finding changes no application code.
    rules::Finding seq;
    seq.rule_id = "seq-scan";
    seq.table = "User";
    CHECK_FALSE(advise::orm_fix_for(seq, workload_of(Orm::Prisma)));
    // A column no language can name as written ("order id"): no code rather than broken code.
    CHECK_FALSE(advise::orm_fix_for(lookup("User", "order id", true), workload_of(Orm::Prisma)));
}
