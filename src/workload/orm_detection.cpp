#include "workload/orm_detection.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace pgadvisor::workload {

namespace {

constexpr Orm kOrms[] = {Orm::Prisma, Orm::Sequelize, Orm::Django, Orm::SqlAlchemy, Orm::ActiveRecord};

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The ORM a sqlcommenter framework tag names: "django:3.2.25", "sqlalchemy:1.4.46", "rails".
Orm orm_of_framework(std::string_view framework) {
    const std::string name = lower(framework.substr(0, framework.find_first_of(":/ ")));
    if (name == "django") return Orm::Django;
    if (name == "sqlalchemy" || name == "flask-sqlalchemy") return Orm::SqlAlchemy;
    if (name == "rails" || name == "activerecord") return Orm::ActiveRecord;
    if (name == "prisma") return Orm::Prisma;
    if (name == "sequelize") return Orm::Sequelize;
    return Orm::Unknown;
}

// The ORM whose name an application_name holds ("prisma-blog"), if exactly one does.
Orm orm_of_application(std::string_view application_name) {
    const std::string name = lower(application_name);
    Orm found = Orm::Unknown;
    for (Orm orm : kOrms) {
        const bool named = name.find(to_string(orm)) != std::string::npos ||
                           (orm == Orm::ActiveRecord && name.find("rails") != std::string::npos);
        if (!named) continue;
        if (found != Orm::Unknown) return Orm::Unknown;
        found = orm;
    }
    return found;
}

bool is_select_with_tables(const sql::QueryShape& s) {
    return s.kind == sql::StatementKind::Select && !s.tables.empty();
}

// Prisma names every column by schema, table and column: "public"."User"."id".
bool prisma_dialect(const sql::QueryShape& s) {
    if (!is_select_with_tables(s) || s.output_columns.empty()) return false;
    for (const auto& t : s.tables)
        if (t.schema.empty() || !t.alias.empty()) return false;
    for (const auto& c : s.output_columns)
        if (c.table < 0 || c.qualifier != s.tables[static_cast<std::size_t>(c.table)].qualified_name()) return false;
    return true;
}

// Sequelize names a table by its model ("patients" AS "Patient", "medical_records" AS "MedicalRecord").
bool model_alias(const sql::TableRef& t) {
    if (t.alias.empty() || !std::isupper(static_cast<unsigned char>(t.alias.front()))) return false;
    std::string table = lower(t.name);
    table.erase(std::remove(table.begin(), table.end(), '_'), table.end());
    return table.rfind(lower(t.alias), 0) == 0;
}

bool sequelize_model_aliases(const sql::QueryShape& s) {
    return is_select_with_tables(s) && std::all_of(s.tables.begin(), s.tables.end(), model_alias);
}

// Sequelize's eager loading names a joined model's columns "Model.column".
bool sequelize_dotted_aliases(const sql::QueryShape& s) {
    return std::any_of(s.output_aliases.begin(), s.output_aliases.end(), [](const sql::OutputAlias& a) {
        return !a.column.qualifier.empty() && a.alias == a.column.qualifier + "." + a.column.column;
    });
}

// SQLAlchemy 1.x labels every column table_column: patient.id AS patient_id.
bool sqlalchemy_labels(const sql::QueryShape& s) {
    if (!is_select_with_tables(s) || s.output_aliases.empty()) return false;
    return std::all_of(s.output_aliases.begin(), s.output_aliases.end(), [](const sql::OutputAlias& a) {
        return !a.column.qualifier.empty() && a.column.qualifier.find('.') == std::string::npos &&
               a.alias == a.column.qualifier + "_" + a.column.column;
    });
}

// Django lists every column qualified by its table, named app_model, without
// aliases, in the WHERE clause too; psycopg2 (Django's driver) binds no $n
// parameters: it puts values into the text. Knex qualifies its select list
// alike, but not its WHERE columns, and node-postgres binds $n.
bool django_predicates(const sql::QueryShape& s) {
    return std::all_of(s.predicates.begin(), s.predicates.end(), [&](const sql::Predicate& p) {
        return p.operand != sql::OperandKind::Parameter && p.column.table >= 0 &&
               p.column.qualifier == s.tables[static_cast<std::size_t>(p.column.table)].name;
    });
}

bool django_dialect(const sql::QueryShape& s) {
    if (!is_select_with_tables(s) || s.select_star || !s.output_aliases.empty() || s.output_columns.size() < 2)
        return false;
    for (const auto& t : s.tables)
        if (!t.schema.empty() || !t.alias.empty() || t.name.find('_') == std::string::npos || lower(t.name) != t.name)
            return false;
    for (const auto& c : s.output_columns)
        if (c.table < 0 || c.qualifier != s.tables[static_cast<std::size_t>(c.table)].name) return false;
    return django_predicates(s);
}

long long total(const std::vector<OrmSignal>& signals, Orm orm, SignalStrength strength) {
    long long n = 0;
    for (const auto& s : signals)
        if (s.orm == orm && s.strength == strength) n += s.count;
    return n;
}

// The ORM with the most of the strongest kind of signal seen.
Orm leading(const std::vector<OrmSignal>& signals, SignalStrength strength) {
    Orm best = Orm::Unknown;
    long long most = 0;
    for (Orm orm : kOrms)
        if (const long long n = total(signals, orm, strength); n > most) {
            most = n;
            best = orm;
        }
    return best;
}

long long others(const std::vector<OrmSignal>& signals, Orm orm, SignalStrength strength) {
    long long n = 0;
    for (Orm o : kOrms)
        if (o != orm) n += total(signals, o, strength);
    return n;
}

std::string signal_text(const OrmSignal& s) {
    const char* unit = s.strength == SignalStrength::Dialect ? " statement shape" : " statement";
    return std::string(display_name(s.orm)) + ": " + s.what + " (" + std::to_string(s.count) + unit +
           (s.count == 1 ? "" : "s") + ")";
}

}  // namespace

const char* to_string(Orm orm) {
    switch (orm) {
        case Orm::Prisma: return "prisma";
        case Orm::Sequelize: return "sequelize";
        case Orm::Django: return "django";
        case Orm::SqlAlchemy: return "sqlalchemy";
        case Orm::ActiveRecord: return "activerecord";
        case Orm::Unknown: break;
    }
    return "unknown";
}

const char* display_name(Orm orm) {
    switch (orm) {
        case Orm::Prisma: return "Prisma";
        case Orm::Sequelize: return "Sequelize";
        case Orm::Django: return "Django";
        case Orm::SqlAlchemy: return "SQLAlchemy";
        case Orm::ActiveRecord: return "ActiveRecord";
        case Orm::Unknown: break;
    }
    return "unknown";
}

const char* to_string(SignalStrength strength) {
    switch (strength) {
        case SignalStrength::Tag: return "tag";
        case SignalStrength::Dialect: return "dialect";
        case SignalStrength::Application: return "application_name";
    }
    return "tag";
}

const char* to_string(OrmConfidence confidence) {
    switch (confidence) {
        case OrmConfidence::Low: return "low";
        case OrmConfidence::Medium: return "medium";
        case OrmConfidence::High: return "high";
        case OrmConfidence::None: break;
    }
    return "none";
}

void OrmDetector::count(Orm orm, SignalStrength strength, std::string_view what, long long n) {
    for (auto& s : signals_)
        if (s.orm == orm && s.strength == strength && s.what == what) {
            s.count += n;
            return;
        }
    signals_.push_back({orm, strength, std::string(what), n});
}

void OrmDetector::add_execution(const RequestTags& tags, std::string_view application_name) {
    if (!tags.empty()) add_tags(tags);  // most statements have none: no key strings made to find nothing
    if (application_name.empty()) return;
    // Sessions keep one name: read it again only when it changes.
    if (application_name != last_application_) {
        last_application_ = std::string(application_name);
        last_application_orm_ = orm_of_application(application_name);
    }
    if (last_application_orm_ != Orm::Unknown)
        count(last_application_orm_, SignalStrength::Application, "application_name names it");
}

void OrmDetector::add_tags(const RequestTags& tags) {
    if (auto it = tags.find("framework"); it != tags.end())
        if (Orm orm = orm_of_framework(it->second); orm != Orm::Unknown)
            count(orm, SignalStrength::Tag, "sqlcommenter framework tag");
    // Marginalia, Rails' own comments, carry application, controller and action together.
    if (tags.count("application") && tags.count("controller") && tags.count("action"))
        count(Orm::ActiveRecord, SignalStrength::Tag, "marginalia application/controller/action tags");
    if (auto it = tags.find("db_driver"); it != tags.end()) {
        auto d = std::find_if(drivers_.begin(), drivers_.end(), [&](const auto& p) { return p.first == it->second; });
        if (d == drivers_.end()) drivers_.emplace_back(it->second, 1);
        else ++d->second;
    }
}

void OrmDetector::add_executions_of(const OrmDetection& part) {
    for (const auto& signal : part.signals)
        if (signal.strength != SignalStrength::Dialect) count(signal.orm, signal.strength, signal.what, signal.count);
    for (const auto& seen : part.drivers) {  // not a structured binding: clang 14 cannot capture one
        auto d = std::find_if(drivers_.begin(), drivers_.end(), [&](const auto& p) { return p.first == seen.first; });
        if (d == drivers_.end()) drivers_.push_back(seen);
        else d->second += seen.second;
    }
}

void OrmDetector::add_shape(const sql::QueryShape& shape) {
    if (prisma_dialect(shape))
        count(Orm::Prisma, SignalStrength::Dialect, "\"schema\".\"Table\".\"column\" column names");
    if (sequelize_dotted_aliases(shape))
        count(Orm::Sequelize, SignalStrength::Dialect, "\"Model\".\"column\" AS \"Model.column\" aliases");
    else if (sequelize_model_aliases(shape))
        count(Orm::Sequelize, SignalStrength::Dialect, "tables aliased by model (\"patients\" AS \"Patient\")");
    if (sqlalchemy_labels(shape))
        count(Orm::SqlAlchemy, SignalStrength::Dialect, "table_column labels (patient.id AS patient_id)");
    if (django_dialect(shape)) count(Orm::Django, SignalStrength::Dialect, "\"app_model\".\"column\" select lists");
}

OrmDetection OrmDetector::result() const {
    OrmDetection d;
    d.signals = signals_;
    std::stable_sort(d.signals.begin(), d.signals.end(), [](const OrmSignal& a, const OrmSignal& b) {
        if (a.strength != b.strength) return a.strength < b.strength;
        return a.count > b.count;
    });
    d.drivers = drivers_;
    if (!drivers_.empty())
        d.driver = std::max_element(drivers_.begin(), drivers_.end(), [](const auto& a, const auto& b) {
                       return a.second < b.second;
                   })->first;

    // The strongest kind of evidence decides; how much the other ORMs show of
    // the same kind says how sure that is.
    const Orm tagged = leading(signals_, SignalStrength::Tag);
    const Orm spoken = leading(signals_, SignalStrength::Dialect);
    const Orm named = leading(signals_, SignalStrength::Application);
    if (tagged != Orm::Unknown) {
        d.orm = tagged;
        d.confidence = others(signals_, tagged, SignalStrength::Tag) == 0 ? OrmConfidence::High : OrmConfidence::Medium;
    } else if (spoken != Orm::Unknown) {
        d.orm = spoken;
        const long long mine = total(signals_, spoken, SignalStrength::Dialect);
        const long long rest = others(signals_, spoken, SignalStrength::Dialect);
        // Several shapes of one ORM's dialect and few of another's: only that ORM writes them.
        d.confidence = mine >= 3 && rest * 5 <= mine ? OrmConfidence::High : OrmConfidence::Medium;
    } else if (named != Orm::Unknown) {
        d.orm = named;
        d.confidence = OrmConfidence::Low;  // a name the user chose, nothing in the SQL confirms it
    }

    if (d.orm == Orm::Unknown) {
        d.reason = d.driver.empty() ? "no framework tag, marginalia, application_name or ORM dialect names an ORM"
                                    : "only the driver is named (db_driver tag " + d.driver + "); no ORM is";
        return d;
    }
    std::string mine, rest;
    for (const auto& s : d.signals) {
        std::string& into = s.orm == d.orm ? mine : rest;
        into += (into.empty() ? "" : "; ") + signal_text(s);
    }
    d.reason = mine + (rest.empty() ? "" : "; also seen: " + rest);
    return d;
}

}  // namespace pgadvisor::workload
