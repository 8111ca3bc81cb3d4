#include "ingest/log_entry.hpp"

#include <cctype>
#include <charconv>

namespace pgadvisor::ingest {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
long long days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

}  // namespace

double parse_timestamp_ms(std::string_view ts) {
    int Y, M, D, h, m, s;
    if (ts.size() < 19 || !digits(ts, 0, 4, Y) || ts[4] != '-' || !digits(ts, 5, 2, M) || ts[7] != '-' ||
        !digits(ts, 8, 2, D) || (ts[10] != ' ' && ts[10] != 'T') || !digits(ts, 11, 2, h) || ts[13] != ':' ||
        !digits(ts, 14, 2, m) || ts[16] != ':' || !digits(ts, 17, 2, s)) {
        // %n: seconds since the epoch with milliseconds.
        double v = 0;
        auto [p, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), v);
        if (ec == std::errc() && v > 1e8 && (p == ts.data() + ts.size() || *p == ' ')) return v * 1000.0;
        return 0;
    }
    double ms = 0;
    std::size_t i = 19;
    if (i < ts.size() && (ts[i] == '.' || ts[i] == ',')) {
        double scale = 100;
        for (++i; i < ts.size() && std::isdigit(static_cast<unsigned char>(ts[i])); ++i, scale /= 10)
            ms += (ts[i] - '0') * scale;
    }
    double offset_min = 0;
    while (i < ts.size() && ts[i] == ' ') ++i;
    if (i < ts.size() && (ts[i] == '+' || ts[i] == '-')) {
        int sign = ts[i] == '-' ? -1 : 1;
        int oh = 0, om = 0;
        if (digits(ts, i + 1, 2, oh)) {
            std::size_t j = i + 3;
            if (j < ts.size() && ts[j] == ':') ++j;
            digits(ts, j, 2, om);
            offset_min = sign * (oh * 60 + om);
        }
    }
    long long days = days_from_civil(Y, M, D);
    double secs = static_cast<double>(days) * 86400.0 + h * 3600 + m * 60 + s - offset_min * 60;
    return secs * 1000.0 + ms;
}

bool is_severity(std::string_view w) {
    switch (w.size()) {
        case 3: return w == "LOG";
        case 4: return w == "INFO";
        case 5: return w == "ERROR" || w == "FATAL" || w == "PANIC" || w == "DEBUG";
        case 6:
            return w == "NOTICE" || w == "DEBUG1" || w == "DEBUG2" || w == "DEBUG3" || w == "DEBUG4" || w == "DEBUG5";
        case 7: return w == "WARNING";
        default: return false;
    }
}

bool is_secondary_label(std::string_view w) {
    return w == "DETAIL" || w == "HINT" || w == "CONTEXT" || w == "STATEMENT" || w == "QUERY" || w == "LOCATION";
}

}  // namespace pgadvisor::ingest
