// The shop example's workload: a web application as a first-cut ORM writes
// it, run against the database of examples/shop/schema.sql + data.sql.
//
//   pgadvisor_shop_driver --conninfo 'host=... dbname=shop' [--requests N] [--seed S]
//                         [--mode original|rewritten --review-dir DIR] [--workers W]
//
// Every statement is sent with bound parameters (extended protocol, as ORMs
// do) and carries a sqlcommenter tag naming its route, controller and request
// (traceparent). Deterministic: the same seed gives the same statements.
//
// Planted problems (original mode):
//   /customers/:id/orders  N+1: a customer's orders, then each order's items one by one
//   /orders/:id            N+1: an order's items, then each item's product one by one
//   /orders?status=        filter on orders(customer_id, status), no index
//   /orders/recent         created_at range ORDER BY created_at DESC LIMIT 20, no index
//   /cart/add              check-then-insert on cart_items (cart_id, product_id), in a transaction
//   every request          daily counter: SELECT, then UPDATE or INSERT (day, name)
// Negative controls (must not be flagged):
//   /statuses              a scan of the 10-row order_statuses table
//   /products/sku          products by sku, which has its index
//   /login                 customers by email (unique), once per request in many requests
//
// --mode rewritten runs pgadvisor's own statements instead, read from the
// review/*.sql files it wrote (--review-dir): the batched `= ANY($1)` lookups
// instead of the N+1 loops and the INSERT ... ON CONFLICT instead of each
// check-then-insert. A needed statement that is missing is an error.
#include <pqxx/pqxx>

#include "sql/query_shape.hpp"
#include "sql/shape.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Args {
    std::string conninfo;
    int requests = 400;
    unsigned seed = 42;
    int workers = 3;
    std::string mode = "original";
    std::string review_dir;
};

[[noreturn]] void die(const std::string& message) {
    std::cerr << "pgadvisor_shop_driver: " << message << "\n";
    std::exit(2);
}

Args parse_args(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string k = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) die(k + " needs a value");
            return argv[++i];
        };
        if (k == "--conninfo") a.conninfo = value();
        else if (k == "--requests") a.requests = std::stoi(value());
        else if (k == "--seed") a.seed = static_cast<unsigned>(std::stoul(value()));
        else if (k == "--workers") a.workers = std::stoi(value());
        else if (k == "--mode") a.mode = value();
        else if (k == "--review-dir") a.review_dir = value();
        else if (k == "--help" || k == "-h") {
            std::cout << "usage: pgadvisor_shop_driver [--conninfo STR] [--requests N] [--seed S] [--workers W]\n"
                         "                             [--mode original|rewritten] [--review-dir DIR]\n";
            std::exit(0);
        } else die("unknown option " + k);
    }
    if (a.mode != "original" && a.mode != "rewritten") die("--mode is original or rewritten");
    if (a.mode == "rewritten" && a.review_dir.empty())
        die("--mode rewritten needs --review-dir DIR (pgadvisor's review files)");
    if (a.requests < 0 || a.workers < 1) die("--requests >= 0 and --workers >= 1");
    return a;
}

// ------------------------------------------------------------ review files

// The last statement of a review file: its SQL after the comment lines.
// The last statement of a review file, as libpg_query splits it (comments are
// not statements), with its shape.
std::optional<pgadvisor::sql::QueryShape> last_statement(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream text;
    text << in.rdbuf();
    std::optional<pgadvisor::sql::QueryShape> last;
    for (auto& r : pgadvisor::sql::shape_statements(text.str()))
        if (r.shape) last = std::move(r.shape);
    return last;
}

struct Rewrites {
    std::string items_by_orders;  // SELECT ... FROM order_items WHERE order_id = ANY($1)
    std::string products_by_ids;  // SELECT ... FROM products WHERE id = ANY($1)
    std::string cart_upsert;      // INSERT INTO cart_items ... ON CONFLICT ...
    std::string counter_upsert;   // INSERT INTO daily_counters ... ON CONFLICT ...
};

// The highest $n of a statement, from its parse tree.
int placeholders(const std::string& sql) {
    int top = 0;
    auto r = pgadvisor::sql::shape_statement(sql);
    if (r.shape)
        for (const auto& l : r.shape->literals)
            if (l.kind == pgadvisor::sql::LiteralKind::Parameter) top = std::max(top, l.param_number);
    return top;
}

bool reads_only(const pgadvisor::sql::QueryShape& s, const std::string& table) {
    return s.kind == pgadvisor::sql::StatementKind::Select && s.tables.size() == 1 && s.tables[0].name == table;
}

// `column = ANY($1)` on the statement's one table (an InList predicate against a parameter).
bool batched_on(const pgadvisor::sql::QueryShape& s, const std::string& table, const std::string& column) {
    if (!reads_only(s, table)) return false;
    for (const auto& p : s.predicates)
        if (p.column.column == column && p.cls == pgadvisor::sql::PredicateClass::InList &&
            p.operand == pgadvisor::sql::OperandKind::Parameter && p.param_number == 1)
            return true;
    return false;
}

bool upsert_into(const pgadvisor::sql::QueryShape& s, const std::string& table) {
    return s.kind == pgadvisor::sql::StatementKind::Insert && s.insert && s.insert->table >= 0 &&
           s.tables[static_cast<std::size_t>(s.insert->table)].name == table &&
           s.insert->on_conflict != pgadvisor::sql::ConflictAction::None;
}

// Each needed statement matched by the table it touches and its form.
Rewrites load_rewrites(const std::string& dir) {
    const fs::path review = fs::path(dir) / "review";
    if (!fs::is_directory(review)) die("no review/ folder in " + dir + " (run pgadvisor analyze --out DIR first)");
    Rewrites r;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(review))
        if (e.is_regular_file() && e.path().extension() == ".sql") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    auto take = [](std::string& slot, const std::string& sql, const fs::path& f, const char* what) {
        if (!slot.empty() && slot != sql) die(std::string("two review files give the ") + what + ": " + f.string());
        slot = sql;
        std::cerr << "pgadvisor_shop_driver: " << what << " from " << f.filename().string() << ": " << sql << "\n";
    };
    for (const auto& f : files) {
        const auto shape = last_statement(f);
        if (!shape) continue;
        std::string sql = shape->text;
        while (!sql.empty() && (sql.back() == ';' || sql.back() == ' ' || sql.back() == '\n')) sql.pop_back();
        if (batched_on(*shape, "order_items", "order_id")) take(r.items_by_orders, sql, f, "order_items batch");
        else if (batched_on(*shape, "products", "id")) take(r.products_by_ids, sql, f, "products batch");
        else if (upsert_into(*shape, "cart_items")) take(r.cart_upsert, sql, f, "cart_items UPSERT");
        else if (upsert_into(*shape, "daily_counters")) take(r.counter_upsert, sql, f, "daily_counters UPSERT");
    }
    std::string missing;
    if (r.items_by_orders.empty()) missing += " order_items-by-order_id-batch";
    if (r.products_by_ids.empty()) missing += " products-by-id-batch";
    if (r.cart_upsert.empty()) missing += " cart_items-upsert";
    if (r.counter_upsert.empty()) missing += " daily_counters-upsert";
    if (!missing.empty()) die("review files in " + review.string() + " lack:" + missing);
    if (placeholders(r.items_by_orders) != 1 || placeholders(r.products_by_ids) != 1)
        die("a batched statement does not take exactly one parameter (the array)");
    if (placeholders(r.cart_upsert) != 3)
        die("the cart_items UPSERT does not take 3 parameters (cart_id, product_id, quantity)");
    // day, name, the value a new row starts with, and the UPDATE's increment (kept as the UPDATE computed it).
    if (placeholders(r.counter_upsert) != 4)
        die("the daily_counters UPSERT does not take 4 parameters (day, name, first value, increment)");
    return r;
}

// ------------------------------------------------------------ the application

std::string pg_array(const std::vector<long long>& v) {
    std::string s = "{";
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) s += ",";
        s += std::to_string(v[i]);
    }
    return s + "}";
}

std::string url_encode(const std::string& s) {
    std::string out;
    char buf[4];
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else {
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

struct Stats {
    std::map<std::string, int> requests;
    long long statements = 0;
    double ms = 0;
};

class App {
public:
    App(const Args& args, const Rewrites* rewrites) : args_(args), rw_(rewrites), rng_(args.seed) {
        for (int w = 0; w < args.workers; ++w) conns_.push_back(std::make_unique<pqxx::connection>(args.conninfo));
    }

    void run() {
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < args_.requests; ++i) request(i);
        const auto end = std::chrono::steady_clock::now();
        stats_.ms = std::chrono::duration<double, std::milli>(end - start).count();
        pqxx::nontransaction tx(*conns_[0]);
        tx.exec("SELECT 'shop-driver-done'");
    }

    const Stats& stats() const { return stats_; }

private:
    const Args& args_;
    const Rewrites* rw_;
    std::mt19937_64 rng_;
    std::vector<std::unique_ptr<pqxx::connection>> conns_;
    std::string tag_;
    Stats stats_;

    long long uniform(long long lo, long long hi) { return std::uniform_int_distribution<long long>(lo, hi)(rng_); }
    bool rewritten() const { return rw_ != nullptr; }

    std::string hex(int digits) {
        static const char* d = "0123456789abcdef";
        std::string s;
        for (int i = 0; i < digits; ++i) s += d[uniform(0, 15)];
        return s;
    }

    // The statement as the ORM sends it: the SQL, then the request's tags.
    std::string q(const std::string& sql) const { return sql + " " + tag_; }

    template <typename... Ps>
    pqxx::result exec(pqxx::transaction_base& tx, const std::string& sql, Ps&&... ps) {
        ++stats_.statements;
        return tx.exec_params(q(sql), std::forward<Ps>(ps)...);
    }

    // A simulated day: the run covers three days, so each route's counter is
    // inserted once per day and updated otherwise.
    std::string day_of(int i) const {
        static const char* days[] = {"2026-12-01", "2026-12-02", "2026-12-03"};
        return days[std::min(2, i * 3 / std::max(1, args_.requests))];
    }

    void request(int i) {
        const int pick = static_cast<int>(uniform(0, 99));
        struct Route {
            int upto;
            const char* route;
            const char* controller;
            void (App::*handler)(pqxx::connection&);
        };
        static const Route routes[] = {
            {6, "/customers/:id/orders", "customers", &App::customer_orders},
            {12, "/orders/:id", "orders", &App::order_detail},
            {27, "/orders", "orders", &App::orders_by_status},
            {37, "/orders/recent", "orders", &App::recent_orders},
            {57, "/cart/add", "carts", &App::cart_add},
            {75, "/products/sku", "products", &App::product_by_sku},
            {85, "/statuses", "statuses", &App::statuses},
            {100, "/login", "sessions", &App::login},
        };
        const Route* r = &routes[0];
        for (const auto& c : routes)
            if (pick < c.upto) {
                r = &c;
                break;
            }
        tag_ = "/*route='" + url_encode(r->route) + "',controller='" + r->controller + "',traceparent='00-" + hex(32) +
               "-" + hex(16) + "-01'*/";
        ++stats_.requests[r->route];
        pqxx::connection& conn = *conns_[static_cast<std::size_t>(i % args_.workers)];
        (this->*r->handler)(conn);
        count_page_view(conn, r->route, day_of(i));
    }

    // N+1: the orders of a customer, then each order's items one by one.
    void customer_orders(pqxx::connection& conn) {
        const long long customer = uniform(0, 1) ? uniform(1, 50) : uniform(1, 50000);
        pqxx::nontransaction tx(conn);
        auto orders = exec(tx, "SELECT id, status, total, created_at FROM orders WHERE customer_id = $1", customer);
        std::vector<long long> ids;
        for (const auto& o : orders) {
            if (ids.size() == 8) break;  // the first page
            ids.push_back(o[0].as<long long>());
        }
        if (rewritten()) {
            if (!ids.empty()) exec(tx, rw_->items_by_orders, pg_array(ids));
            return;
        }
        for (long long id : ids)
            exec(tx, "SELECT id, product_id, quantity, unit_price FROM order_items WHERE order_id = $1", id);
    }

    // N+1: an order's items, then each item's product one by one.
    void order_detail(pqxx::connection& conn) {
        const long long order = 5 * uniform(0, 59999) + 2;  // 5 items each
        pqxx::nontransaction tx(conn);
        exec(tx, "SELECT id, customer_id, status, total, created_at FROM orders WHERE id = $1", order);
        auto items = exec(tx, "SELECT product_id, quantity FROM order_items WHERE order_id = $1", order);
        std::vector<long long> products;
        for (const auto& it : items) products.push_back(it[0].as<long long>());
        if (rewritten()) {
            if (!products.empty()) exec(tx, rw_->products_by_ids, pg_array(products));
            return;
        }
        for (long long p : products) exec(tx, "SELECT id, sku, name, price FROM products WHERE id = $1", p);
    }

    // A filter on orders(customer_id, status) that no index serves.
    void orders_by_status(pqxx::connection& conn) {
        static const char* statuses[] = {"paid", "shipped", "new", "delivered", "cancelled"};
        const long long customer = uniform(0, 3) == 0 ? uniform(1, 50) : uniform(1, 50000);
        pqxx::nontransaction tx(conn);
        exec(tx, "SELECT id, total, created_at FROM orders WHERE customer_id = $1 AND status = $2", customer,
             std::string(statuses[uniform(0, 4)]));
    }

    // The latest orders of one day: a created_at range sorted, no index.
    void recent_orders(pqxx::connection& conn) {
        const int back = static_cast<int>(uniform(1, 30));
        char from[32], to[32];
        std::snprintf(from, sizeof from, "2026-11-%02d 00:00:00+00", 31 - back);
        std::snprintf(to, sizeof to, "2026-11-%02d 00:00:00+00", 31 - back + 1);
        std::string upto = back == 1 ? std::string("2026-12-01 00:00:00+00") : std::string(to);
        pqxx::nontransaction tx(conn);
        exec(tx,
             "SELECT id, customer_id, status, total, created_at FROM orders WHERE created_at >= $1 AND created_at < $2 "
             "ORDER BY created_at DESC LIMIT 20",
             std::string(from), upto);
    }

    // Check-then-insert: look for the cart line, insert it when absent.
    void cart_add(pqxx::connection& conn) {
        const long long customer = 2 * uniform(1, 25000);  // even customers have a cart
        const long long product = uniform(1, 5000);
        long long cart = 0;
        {
            pqxx::nontransaction tx(conn);
            auto c = exec(tx, "SELECT id FROM carts WHERE customer_id = $1", customer);
            if (c.empty()) return;
            cart = c[0][0].as<long long>();
            exec(tx, "SELECT on_hand FROM inventory WHERE product_id = $1", product);
        }
        pqxx::work tx(conn);
        if (rewritten()) {
            exec(tx, rw_->cart_upsert, cart, product, 1);
        } else if (exec(tx, "SELECT quantity FROM cart_items WHERE cart_id = $1 AND product_id = $2", cart, product)
                       .empty()) {
            exec(tx, "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3)", cart, product, 1);
        }
        exec(tx, "INSERT INTO events (customer_id, kind, payload) VALUES ($1, $2, $3)", customer,
             std::string("cart_add"), std::to_string(product));
        tx.commit();
    }

    // Negative control: the index products(sku) serves it.
    void product_by_sku(pqxx::connection& conn) {
        char sku[16];
        std::snprintf(sku, sizeof sku, "SKU-%06lld", uniform(1, 5000));
        pqxx::nontransaction tx(conn);
        exec(tx, "SELECT id, name, price, category FROM products WHERE sku = $1", std::string(sku));
    }

    // Negative control: a scan of a 10-row lookup table.
    void statuses(pqxx::connection& conn) {
        pqxx::nontransaction tx(conn);
        ++stats_.statements;
        tx.exec(q("SELECT code, label FROM order_statuses ORDER BY position"));
    }

    // Negative control: one lookup on a unique key per request, many requests.
    void login(pqxx::connection& conn) {
        const long long customer = uniform(1, 50000);
        pqxx::nontransaction tx(conn);
        exec(tx, "SELECT id, name, country FROM customers WHERE email = $1",
             "customer" + std::to_string(customer) + "@example.com");
    }

    // Middleware: a page view counter per route and day, SELECT then UPDATE or INSERT.
    void count_page_view(pqxx::connection& conn, const std::string& route, const std::string& day) {
        pqxx::work tx(conn);
        if (rewritten()) {
            exec(tx, rw_->counter_upsert, day, route, 1, 1);
        } else if (exec(tx, "SELECT value FROM daily_counters WHERE day = $1 AND name = $2", day, route).empty()) {
            exec(tx, "INSERT INTO daily_counters (day, name, value) VALUES ($1, $2, $3)", day, route, 1);
        } else {
            exec(tx, "UPDATE daily_counters SET value = value + 1 WHERE day = $1 AND name = $2", day, route);
        }
        tx.commit();
    }
};

}  // namespace

int main(int argc, char** argv) {
    const Args args = parse_args(argc, argv);
    try {
        Rewrites rewrites;
        if (args.mode == "rewritten") rewrites = load_rewrites(args.review_dir);
        App app(args, args.mode == "rewritten" ? &rewrites : nullptr);
        app.run();
        const auto& s = app.stats();
        std::cout << "pgadvisor_shop_driver: mode " << args.mode << ", seed " << args.seed << ", " << args.requests
                  << " requests, " << s.statements << " statements, " << static_cast<long long>(s.ms) << " ms\n";
        for (const auto& [route, n] : s.requests) std::cout << "  " << route << ": " << n << " requests\n";
    } catch (const std::exception& e) {
        die(e.what());
    }
    return 0;
}
