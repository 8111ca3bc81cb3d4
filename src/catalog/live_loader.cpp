#include "catalog/live_loader.hpp"

#include <cstdlib>
#include <cctype>
#include <fmt/core.h>
#include <libpq-fe.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <unordered_map>

#include "sql/canonical.hpp"

namespace pgadvisor::catalog {
namespace {

// System schemas are not the user's schema. User schemas cannot start with pg_.
constexpr const char* kUserSchemas = "n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'";

std::string conninfo_value(const std::string& conninfo, const char* key) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
    if (err) PQfreemem(err);
    std::string out;
    if (opts) {
        for (auto* o = opts; o->keyword; ++o)
            if (std::string(o->keyword) == key && o->val) out = o->val;
        PQconninfoFree(opts);
    }
    return out;
}

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

std::vector<int> int_list(std::string text) {
    // int2vector prints "1 2 0", int2[] prints "{1,2}".
    std::vector<int> out;
    for (auto& ch : text)
        if (ch == '{' || ch == '}' || ch == ',') ch = ' ';
    std::size_t at = 0;
    while (at < text.size()) {
        while (at < text.size() && text[at] == ' ') ++at;
        if (at >= text.size()) break;
        std::size_t end = text.find(' ', at);
        if (end == std::string::npos) end = text.size();
        out.push_back(std::atoi(text.substr(at, end - at).c_str()));
        at = end;
    }
    return out;
}

std::int64_t opt_int(const pqxx::field& f) { return f.is_null() ? -1 : f.as<std::int64_t>(); }

// One read of the catalog inside one read-only transaction: each step reads one
// kind of object into cat, tables first (the others attach to them by oid).
class LiveReader {
public:
    LiveReader(pqxx::read_transaction& tx, Catalog& cat) : tx_(tx), cat_(cat) {}

    void read(bool statistics) {
        read_stats_window();
        read_search_path();
        read_tables();
        read_columns();
        read_indexes();
        read_constraints();
        // Last on purpose: a refused pg_stats aborts the transaction, and everything else is read by then.
        if (!statistics) cat_.notes.push_back("column statistics not read (--no-stats)");
        else read_statistics();
    }

private:
    // How long idx_scan and friends have been counting (unused-index says it).
    void read_stats_window() {
        const auto r = tx_.exec1(
            "SELECT CASE WHEN d.stats_reset IS NOT NULL THEN 'reset at ' || d.stats_reset::text"
            "            ELSE 'server start at ' || pg_postmaster_start_time()::text END,"
            "       extract(epoch FROM now() - coalesce(d.stats_reset, pg_postmaster_start_time())) / 86400.0"
            "  FROM pg_stat_database d WHERE d.datname = current_database()");
        cat_.stats_since = r[0].as<std::string>("");
        cat_.stats_age_days = r[1].as<double>(-1);
    }

    void read_search_path() {
        const auto path = nlohmann::json::parse(
            tx_.exec1("SELECT array_to_json(current_schemas(false))::text")[0].as<std::string>());
        cat_.search_path = path.get<std::vector<std::string>>();
        for (const auto& row :
             tx_.exec(fmt::format("SELECT n.nspname FROM pg_namespace n WHERE {} ORDER BY 1", kUserSchemas)))
            cat_.schemas.push_back(row[0].as<std::string>());
    }

    void read_tables() {
        const auto tables = tx_.exec(
            fmt::format("SELECT c.oid, n.nspname, c.relname, c.relkind = 'p', c.reltuples, c.relpages,"
                        "       CASE WHEN c.relispartition THEN pn.nspname || '.' || pc.relname END,"
                        "       s.n_tup_ins, s.n_tup_upd, s.n_tup_del, s.seq_scan, s.idx_scan"
                        "  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        "  LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid"
                        "  LEFT JOIN pg_class pc ON pc.oid = i.inhparent"
                        "  LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace"
                        "  LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid"
                        " WHERE c.relkind IN ('r', 'p', 'm') AND {} ORDER BY n.nspname, c.relname",
                        kUserSchemas));
        cat_.tables.reserve(tables.size());
        attnames_.resize(tables.size());
        for (const auto& r : tables) {
            Table t;
            t.schema = r[1].as<std::string>();
            t.name = r[2].as<std::string>();
            t.partitioned = r[3].as<bool>();
            t.partition_of = r[6].as<std::string>("");
            const double reltuples = r[4].as<double>(-1);
            // reltuples is -1 (14+) or 0 with relpages 0 (12, 13) before the first ANALYZE/VACUUM.
            if (reltuples > 0 || (reltuples == 0 && r[5].as<std::int64_t>(0) > 0)) {
                t.estimated_rows = reltuples;
                t.rows_source = RowsSource::Statistics;
            }
            t.pages = r[5].as<std::int64_t>(-1);
            t.inserts = opt_int(r[7]);
            t.updates = opt_int(r[8]);
            t.deletes = opt_int(r[9]);
            t.seq_scan = opt_int(r[10]);
            t.idx_scan = opt_int(r[11]);
            table_at_.emplace(r[0].as<std::uint32_t>(), cat_.tables.size());
            cat_.tables.push_back(std::move(t));
        }
    }

    void read_columns() {
        const auto columns = tx_.exec(fmt::format(
            "SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
            "       pg_get_expr(d.adbin, d.adrelid)"
            "  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            "  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            " WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'm') AND {}"
            " ORDER BY a.attrelid, a.attnum",
            kUserSchemas));
        for (const auto& r : columns) {
            auto it = table_at_.find(r[0].as<std::uint32_t>());
            if (it == table_at_.end()) continue;  // created after the table query: same snapshot, so never
            Column c;
            c.name = r[2].as<std::string>();
            c.type = r[3].as<std::string>();
            c.not_null = r[4].as<bool>();
            if (!r[5].is_null()) c.default_expr = canonical(r[5].as<std::string>());
            auto& names = attnames_[it->second];
            const auto attnum = static_cast<std::size_t>(r[1].as<int>());
            if (names.size() <= attnum) names.resize(attnum + 1);
            names[attnum] = c.name;
            cat_.tables[it->second].columns.push_back(std::move(c));
        }
    }

    // Expression keys come back as pg_get_indexdef() text, parsed again for the canonical form.
    // Size is relpages * block size (as of the last VACUUM/ANALYZE/CREATE INDEX), not
    // pg_relation_size(): that takes a lock per index, and 30,000 locks in one transaction
    // exceed max_locks_per_transaction on a default server.
    void read_indexes() {
        const auto indexes = tx_.exec(fmt::format(
            "SELECT i.indrelid, ic.relname, am.amname, i.indisunique, i.indisprimary, i.indisvalid,"
            "       i.indnkeyatts, i.indkey::text, i.indoption::text, pg_get_expr(i.indpred, i.indrelid, true),"
            "       CASE WHEN i.indexprs IS NOT NULL THEN array_to_json(ARRAY("
            "           SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k))::text END,"
            "       ic.relpages::bigint * current_setting('block_size')::bigint, s.idx_scan,"
            // Each key's operator class, empty where it is its type's default.
            "       array_to_json(ARRAY(SELECT CASE WHEN o.opcdefault THEN '' ELSE o.opcname END"
            "           FROM unnest(i.indclass::oid[]) WITH ORDINALITY u(oid, n) JOIN pg_opclass o ON o.oid = u.oid"
            "          ORDER BY u.n))::text"
            "  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
            "  JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            "  JOIN pg_am am ON am.oid = ic.relam"
            "  LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = i.indexrelid"
            " WHERE c.relkind IN ('r', 'p', 'm') AND {} ORDER BY n.nspname, ic.relname",
            kUserSchemas));
        cat_.indexes.reserve(indexes.size());
        for (const auto& r : indexes) {
            auto it = table_at_.find(r[0].as<std::uint32_t>());
            if (it == table_at_.end()) continue;
            cat_.indexes.push_back(index_from_row(r, it->second));
        }
    }

    // One row of read_indexes' query, on the table at cat_.tables[table].
    Index index_from_row(const pqxx::row& r, std::size_t table) {
        const Table& t = cat_.tables[table];
        Index idx;
        idx.schema = t.schema;
        idx.table = t.name;
        idx.name = r[1].as<std::string>();
        idx.method = r[2].as<std::string>();
        idx.unique = r[3].as<bool>();
        idx.primary = r[4].as<bool>();
        idx.valid = r[5].as<bool>();
        const int nkey = r[6].as<int>();
        const auto attnums = int_list(r[7].as<std::string>());
        const auto opts = int_list(r[8].as<std::string>());
        if (!r[9].is_null()) idx.predicate = canonical(r[9].as<std::string>());
        nlohmann::json exprs = r[10].is_null() ? nlohmann::json::array()
                                               : nlohmann::json::parse(r[10].as<std::string>());
        const nlohmann::json opclasses = nlohmann::json::parse(r[13].as<std::string>("[]"));
        for (std::size_t k = 0; k < attnums.size(); ++k) {
            if (static_cast<int>(k) < nkey) {
                IndexKey key;
                if (attnums[k] != 0) key.column = attname(table, attnums[k]);
                else if (k < exprs.size()) key.expression = canonical(exprs[k].get<std::string>());
                const int o = k < opts.size() ? opts[k] : 0;
                key.descending = (o & 1) != 0;   // INDOPTION_DESC
                key.nulls_first = (o & 2) != 0;  // INDOPTION_NULLS_FIRST
                if (k < opclasses.size()) key.opclass = opclasses[k].get<std::string>();
                idx.keys.push_back(std::move(key));
            } else {
                idx.include.push_back(attname(table, attnums[k]));
            }
        }
        idx.size_bytes = opt_int(r[11]);
        idx.idx_scan = opt_int(r[12]);
        return idx;
    }

    void read_constraints() {
        // A foreign key that references a partitioned table has extra rows, one per referenced
        // partition, on the same referencing table (conparentid set, same conrelid): not constraints
        // the user made. Copies on partitions (a partition's own primary key) are kept.
        const auto constraints = tx_.exec(fmt::format(
            "SELECT con.conrelid, con.conname, con.contype, con.conkey::text, con.confrelid,"
            "       con.confkey::text, fn.nspname, fc.relname"
            "  FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid"
            "  JOIN pg_namespace n ON n.oid = c.relnamespace"
            "  LEFT JOIN pg_class fc ON fc.oid = con.confrelid"
            "  LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace"
            " WHERE con.contype IN ('p', 'u', 'f') AND {}"
            "   AND NOT EXISTS (SELECT 1 FROM pg_constraint pc WHERE pc.oid = con.conparentid AND pc.conrelid = con.conrelid)"
            " ORDER BY con.conrelid, con.conname",
            kUserSchemas));
        for (const auto& r : constraints) {
            auto it = table_at_.find(r[0].as<std::uint32_t>());
            if (it == table_at_.end()) continue;
            Constraint c;
            c.name = r[1].as<std::string>();
            const std::string type = r[2].as<std::string>();
            c.kind = type == "p"   ? ConstraintKind::PrimaryKey
                     : type == "u" ? ConstraintKind::Unique
                                   : ConstraintKind::ForeignKey;
            for (int a : int_list(r[3].as<std::string>(""))) c.columns.push_back(attname(it->second, a));
            if (c.kind == ConstraintKind::ForeignKey) {
                c.ref_schema = r[6].as<std::string>("");
                c.ref_table = r[7].as<std::string>("");
                auto ref = table_at_.find(r[4].as<std::uint32_t>());
                for (int a : int_list(r[5].as<std::string>("")))
                    c.ref_columns.push_back(ref != table_at_.end() ? attname(ref->second, a) : std::to_string(a));
            }
            cat_.tables[it->second].constraints.push_back(std::move(c));
        }
    }

    // pg_stats; refused or empty, the catalog says so in a note and goes on without.
    void read_statistics() {
        try {
            std::unordered_map<std::string, std::size_t> by_name;
            for (std::size_t i = 0; i < cat_.tables.size(); ++i) by_name.emplace(cat_.tables[i].qualified_name(), i);
            const auto stats = tx_.exec(
                "SELECT s.schemaname, s.tablename, s.attname, s.null_frac, s.n_distinct,"
                "       array_to_json(s.most_common_vals::text::text[])::text,"
                "       array_to_json(s.most_common_freqs)::text, s.correlation"
                "  FROM pg_stats s"
                " WHERE s.schemaname <> 'information_schema' AND s.schemaname NOT LIKE 'pg\\_%'"
                " ORDER BY s.inherited");
            std::size_t rows = 0;
            for (const auto& r : stats) {
                auto it = by_name.find(r[0].as<std::string>() + "." + r[1].as<std::string>());
                if (it == by_name.end()) continue;
                Column* col = cat_.tables[it->second].column(r[2].as<std::string>());
                if (!col || col->stats) continue;  // inherited rows come after a partition's own
                ColumnStats s;
                s.null_frac = r[3].as<double>(0);
                s.n_distinct = r[4].as<double>(0);
                if (!r[5].is_null())
                    for (const auto& v : nlohmann::json::parse(r[5].as<std::string>()))
                        s.most_common_values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
                if (!r[6].is_null())
                    for (const auto& v : nlohmann::json::parse(r[6].as<std::string>()))
                        s.most_common_freqs.push_back(v.get<double>());
                if (!r[7].is_null()) s.correlation = r[7].as<double>();
                col->stats = std::move(s);
                ++rows;
            }
            cat_.has_statistics = rows > 0;
            if (rows == 0)
                cat_.notes.push_back(
                    "pg_stats has no rows for these tables (never analyzed, or hidden for columns you cannot SELECT): "
                    "continuing without column statistics");
        } catch (const pqxx::insufficient_privilege&) {
            // libpqxx 6.4 leaves sqlstate() empty here: the exception type is what tells.
            cat_.notes.push_back("no privilege to read pg_stats: continuing without column statistics");
        }
    }

    // Expression text repeats across tables (now(), lower(email), (deleted_at IS NULL)):
    // parse each distinct text once.
    const std::string& canonical(const std::string& text) {
        auto it = canonical_cache_.find(text);
        if (it == canonical_cache_.end()) it = canonical_cache_.emplace(text, sql::canonical_expr_text(text)).first;
        return it->second;
    }

    std::string attname(std::size_t table, int attnum) const {
        const auto& names = attnames_[table];
        return attnum > 0 && static_cast<std::size_t>(attnum) < names.size() ? names[static_cast<std::size_t>(attnum)]
                                                                             : "";
    }

    pqxx::read_transaction& tx_;
    Catalog& cat_;
    std::unordered_map<std::string, std::string> canonical_cache_;
    std::unordered_map<std::uint32_t, std::size_t> table_at_;  // pg_class oid -> index in cat_.tables
    std::vector<std::vector<std::string>> attnames_;           // per table, by attnum
};

}  // namespace

namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Whether text[at, at + size) stands alone: not part of a longer word, so that a
// short password ("on") is not found inside "connection" (mangling the message
// and telling where the password's letters occur).
bool stands_alone(const std::string& text, std::size_t at, std::size_t size) {
    const bool open = at == 0 || !word_char(text[at - 1]) || !word_char(text[at]);
    const std::size_t end = at + size;
    const bool close = end >= text.size() || !word_char(text[end]) || !word_char(text[end - 1]);
    return open && close;
}

}  // namespace

std::string redact_password(const std::string& text, const std::string& conninfo) {
    std::string out = text;
    for (const std::string& pw : {conninfo_value(conninfo, "password"), env_or("PGPASSWORD", "")}) {
        if (pw.empty()) continue;
        std::size_t at = out.find(pw);
        while (at != std::string::npos) {
            if (stands_alone(out, at, pw.size())) {
                out.replace(at, pw.size(), "********");
                at += 8;
            } else {
                at += 1;
            }
            at = out.find(pw, at);
        }
    }
    return out;
}

bool conninfo_parses(const std::string& conninfo) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
    if (err) PQfreemem(err);  // its message may quote the string: never shown
    if (opts) PQconninfoFree(opts);
    return opts != nullptr;
}

std::string describe_target(const std::string& conninfo) {
    const std::string host = conninfo_value(conninfo, "host");
    const std::string hostaddr = conninfo_value(conninfo, "hostaddr");
    const std::string port = conninfo_value(conninfo, "port");
    const std::string db = conninfo_value(conninfo, "dbname");
    const std::string user = conninfo_value(conninfo, "user");
    return fmt::format("host={} port={} dbname={} user={}",
                       !host.empty()       ? host
                       : !hostaddr.empty() ? hostaddr
                                           : env_or("PGHOST", "localhost (default socket)"),
                       !port.empty() ? port : env_or("PGPORT", "5432"),
                       !db.empty() ? db : env_or("PGDATABASE", "(default)"),
                       !user.empty() ? user : env_or("PGUSER", "(default)"));
}

std::string with_default_connect_timeout(const std::string& conninfo) {
    if (!conninfo_parses(conninfo) || !conninfo_value(conninfo, "connect_timeout").empty() ||
        !env_or("PGCONNECT_TIMEOUT", "").empty())
        return conninfo;
    const bool uri = conninfo.rfind("postgresql://", 0) == 0 || conninfo.rfind("postgres://", 0) == 0;
    if (!uri) return conninfo + (conninfo.empty() ? "" : " ") + "connect_timeout=10";
    return conninfo + (conninfo.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=10";
}

std::unique_ptr<pqxx::connection> connect_to(const std::string& conninfo, std::string& error) {
    if (!conninfo_parses(conninfo)) {
        error = kUnparsableConninfo;
        return nullptr;
    }
    try {
        return std::make_unique<pqxx::connection>(with_default_connect_timeout(conninfo));
    } catch (const std::exception& e) {
        std::string why = redact_password(e.what(), conninfo);
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        error = fmt::format("cannot connect to PostgreSQL ({}): {}", describe_target(conninfo), why);
        return nullptr;
    }
}

LiveResult load_live(const LiveOptions& options) {
    LiveResult result;
    std::string connect_error;
    std::unique_ptr<pqxx::connection> conn = connect_to(options.conninfo, connect_error);
    if (!conn) {
        result.error = LiveError{connect_error, true};
        return result;
    }

    Catalog cat;
    cat.source = "live: " + describe_target(options.conninfo);
    cat.server_version = conn->server_version();
    try {
        pqxx::read_transaction tx(*conn);
        tx.exec(fmt::format("SET LOCAL statement_timeout = {}", options.statement_timeout_ms));
        if (cat.server_version < 120000)
            cat.notes.push_back(
                fmt::format("server version {} is older than 12: the catalog may be incomplete", cat.server_version));
        LiveReader(tx, cat).read(options.statistics);
    } catch (const std::exception& e) {
        result.error = LiveError{fmt::format("reading the catalog from {} failed: {}",
                                             describe_target(options.conninfo),
                                             redact_password(e.what(), options.conninfo)),
                                 false};
        return result;
    }
    result.catalog = std::move(cat);
    return result;
}

}  // namespace pgadvisor::catalog
