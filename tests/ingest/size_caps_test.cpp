// Size caps (issue 16, "Memory"): a line, an entry and a document past their cap
// (ingest/limits.hpp) are skipped without being held and reported at file:line;
// binary input stops its file; the rest is read. Small caps are injected so no
// test writes gigabytes; the compressed bombs use the real caps.
#include <catch2/catch.hpp>
#include <bzlib.h>
#include <lzma.h>
#include <sys/resource.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "test_support.hpp"

using namespace pgadvisor::ingest;
using namespace pgadvisor::ingest::test;

namespace {

std::vector<std::string> all_lines(LineReader& r) {
    std::vector<std::string> out;
    std::string_view line;
    while (r.next(line)) out.emplace_back(line);
    return out;
}

std::string first_example(const Issues& i, const char* kind) {
    auto it = i.kinds().find(kind);
    return it == i.kinds().end() || it->second.examples.empty() ? "" : it->second.examples[0];
}

std::string write_temp(const std::string& name, const std::string& bytes) {
    auto dir = std::filesystem::temp_directory_path() / "pgadvisor-size-caps-tests";
    std::filesystem::create_directories(dir);
    auto p = (dir / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}

Ingested ingest_with(const std::string& path, const InputLimits& limits, Format format = Format::Auto) {
    Ingested r;
    r.report = ingest_file(
        path, format, std::nullopt, r.issues, [&](Statement&& s) { r.statements.push_back(std::move(s)); }, {}, limits);
    return r;
}

std::string log_line(int second, const std::string& statement) {
    return "2024-01-01 10:00:0" + std::to_string(second) +
           ".000 UTC [42] LOG:  duration: 1.000 ms  statement: " + statement + "\n";
}

#if defined(PGADVISOR_SANITIZED)
// AddressSanitizer keeps freed memory resident (its quarantine): the peak RSS
// says nothing of what the reader holds there. The Release build checks it.
constexpr bool kRssMeasures = false;
#else
constexpr bool kRssMeasures = true;
#endif

long max_rss_kb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

}  // namespace

TEST_CASE("LineReader: a line past the cap is skipped as it streams, the next one is read", "[ingest][caps]") {
    // 10 MiB without a newline, far past a 1 KiB cap and ten times the reader's buffer.
    MemorySource src("short\n" + std::string(10u << 20, 'x') + "\nafter\n");
    LineReader r(src, 1024);
    Issues issues;
    r.report_to(issues, "f.log");
    std::string_view line;
    REQUIRE(r.next(line));
    CHECK(line == "short");
    REQUIRE(r.next(line));
    CHECK(line == "after");
    CHECK(r.line_number() == 3);
    // Held: the 1 MiB buffer, not the 10 MiB line.
    CHECK(r.bytes_held() < (1u << 20) + 4096);
    CHECK_FALSE(r.next(line));
    CHECK(r.skipped_lines() == 1);
    CHECK(issues.count(issue::kLineTooLong) == 1);
    CHECK(first_example(issues, issue::kLineTooLong) == "f.log:2: line longer than the 1 KiB cap, skipped");
}

TEST_CASE("LineReader: the cap counts bytes without the terminator, for every line end", "[ingest][caps]") {
    const std::string at_cap(16, 'a'), over_cap(17, 'b');
    for (const std::string end : {"\n", "\r\n", "\r"}) {
        CAPTURE(end.size());
        MemorySource src(at_cap + end + over_cap + end + "c" + end);
        LineReader r(src, 16);
        CHECK(all_lines(r) == std::vector<std::string>{at_cap, "c"});
        CHECK(r.skipped_lines() == 1);
        CHECK(r.line_number() == 3);
    }
    // A line past the cap that ends the input without a newline.
    MemorySource src("a\n" + std::string(5000, 'z'));
    LineReader r(src, 1024);
    CHECK(all_lines(r) == std::vector<std::string>{"a"});
    CHECK(r.skipped_lines() == 1);
    CHECK(r.ended_without_newline());
}

TEST_CASE("LineReader: a long line within the cap is read whole", "[ingest][caps]") {
    // Three times the reader's 1 MiB buffer, under a 4 MiB cap.
    const std::string longest(3u << 20, 'q');
    MemorySource src(longest + "\r\nend\n");
    LineReader r(src, 4u << 20);
    CHECK(all_lines(r) == std::vector<std::string>{longest, "end"});
    CHECK(r.skipped_lines() == 0);
}

TEST_CASE("LineReader: binary data past the cap ends the input", "[ingest][caps]") {
    // A log followed by what /dev/zero gives: no line ever ends, so the file stops.
    MemorySource src("good\n" + std::string(4u << 20, '\0'));
    LineReader r(src, 1024);
    Issues issues;
    r.report_to(issues, "f.log");
    CHECK(all_lines(r) == std::vector<std::string>{"good"});
    CHECK(r.stopped_on_binary());
    CHECK(r.skipped_lines() == 0);
    CHECK(first_example(issues, issue::kBinary).rfind("f.log:2: binary data from this line on", 0) == 0);
}

TEST_CASE("block_is_binary: NULs and control bytes make binary, one garbage byte does not", "[ingest][caps]") {
    CHECK(block_is_binary(std::string(100, '\0')));
    CHECK(block_is_binary(std::string("\x01\x02\xff\x00\x10\x11 abc", 10)));
    CHECK_FALSE(block_is_binary("SELECT 1;\n\tFROM t\r\n"));
    CHECK_FALSE(block_is_binary(std::string("a log line with one NUL \0 among text\n", 37)));
    CHECK_FALSE(block_is_binary("caf\xc3\xa9 na\xc3\xafve \xe2\x82\xac"));  // UTF-8 is text
    CHECK_FALSE(block_is_binary(""));
}

TEST_CASE("stderr: an entry past the cap is dropped, its continuation lines skipped, the next read", "[ingest][caps]") {
    std::string log = log_line(0, "SELECT * FROM t WHERE b = 2");
    for (int i = 0; i < 500; ++i) log += "\tAND a = 1\n";  // about 5 KB of continuation lines
    log += "2024-01-01 10:00:00.001 UTC [42] DETAIL:  parameters: $1 = '1'\n";
    log += log_line(1, "SELECT * FROM t WHERE c = 3") + "\tAND d = 4\n";
    InputLimits limits;
    limits.max_entry_bytes = 1024;
    auto r = ingest_with(write_temp("long-entry.log", log), limits);
    REQUIRE(r.statements.size() == 1);
    CHECK(r.statements[0].text == "SELECT * FROM t WHERE c = 3\nAND d = 4");
    CHECK(r.statements[0].source.first_line == 503);
    CHECK(r.issues.count(issue::kEntryTooLong) == 1);
    CHECK(r.issues.total() == 1);  // the skipped lines and the DETAIL are no problems of their own
    INFO(first_example(r.issues, issue::kEntryTooLong));
    CHECK(first_example(r.issues, issue::kEntryTooLong)
              .find("long-entry.log:1: a message with its continuation lines longer than the 1 KiB cap (passed at "
                    "line 89), skipped to the next message") != std::string::npos);
}

TEST_CASE("stderr: lines held for prefix detection stop at the held-bytes cap", "[ingest][caps]") {
    // 200 lines would be sampled; a 4 KiB cap on held bytes detects after a few.
    std::string log;
    for (int i = 0; i < 100; ++i)
        log += log_line(i % 10, "SELECT " + std::to_string(i) + " /*" + std::string(400, 'p') + "*/");
    InputLimits limits;
    limits.max_held_bytes = 4096;
    auto r = ingest_with(write_temp("held.log", log), limits);
    CHECK(r.statements.size() == 100);
    CHECK(r.issues.total() == 0);
}

TEST_CASE("csvlog and pg_stat_statements: a record past the cap is skipped, the next read", "[ingest][caps]") {
    auto csv_row = [](const std::string& statement) {
        return "2024-01-01 10:00:00.000 UTC,\"u\",\"db\",42,\"h\",6b03fc6f.1,1,\"SELECT\",2024-01-01 10:00:00 UTC,"
               "3/0,0,LOG,00000,\"duration: 1.000 ms  statement: " +
               statement + "\",,,,,,,,,\"psql\",client backend,,0\n";
    };
    std::string big = "SELECT 'x";
    for (int i = 0; i < 300; ++i) big += "\nline \"\" with a quote and, a comma";
    big += "'";
    std::string quoted_big;
    for (char c : big) quoted_big += c == '"' ? std::string("\"\"") : std::string(1, c);
    InputLimits limits;
    limits.max_entry_bytes = 1024;
    auto r = ingest_with(write_temp("long.csv", csv_row(quoted_big) + csv_row("SELECT 2")), limits, Format::Csvlog);
    REQUIRE(r.statements.size() == 1);
    CHECK(r.statements[0].text == "SELECT 2");
    CHECK(r.issues.count(issue::kEntryTooLong) == 1);
    CHECK(r.issues.total() == 1);
    INFO(first_example(r.issues, issue::kEntryTooLong));
    CHECK(first_example(r.issues, issue::kEntryTooLong)
              .find("long.csv:1: a csv record longer than the 1 KiB cap (to "
                    "line 301), skipped") != std::string::npos);

    const std::string header = "queryid,query,calls,total_exec_time\n";
    auto pgss = ingest_with(write_temp("long-pgss.csv", header + "1,\"" + quoted_big + "\",3,1.5\n2,SELECT 2,4,2.5\n"),
                            limits, Format::Pgss);
    REQUIRE(pgss.statements.size() == 1);
    CHECK(pgss.statements[0].text == "SELECT 2");
    CHECK(pgss.issues.count(issue::kEntryTooLong) == 1);
}

TEST_CASE("sql and explain documents past the cap are not read; within it they are", "[ingest][caps]") {
    std::string sql;
    for (int i = 0; i < 100; ++i) sql += "SELECT " + std::to_string(i) + " FROM t;\n";
    InputLimits limits;
    limits.max_document_bytes = 1024;
    auto over = ingest_with(write_temp("big.sql", sql), limits);
    CHECK(over.statements.empty());
    CHECK(over.issues.count(issue::kDocumentTooLarge) == 1);
    INFO(first_example(over.issues, issue::kDocumentTooLarge));
    CHECK(first_example(over.issues, issue::kDocumentTooLarge).find("big.sql:") != std::string::npos);
    CHECK(first_example(over.issues, issue::kDocumentTooLarge).find("1 KiB cap") != std::string::npos);
    limits.max_document_bytes = sql.size();
    // One line of a document may be as long as the document: its lines are capped at the document cap.
    limits.max_line_bytes = 16;
    auto within = ingest_with(write_temp("small.sql", sql), limits);
    CHECK(within.statements.size() == 100);
    CHECK(within.issues.total() == 0);
}

TEST_CASE("a file that starts with binary data is not read, and says so", "[ingest][caps]") {
    auto r = ingest_path(write_temp("zeros.log", std::string(1u << 20, '\0')));
    CHECK(r.statements.empty());
    CHECK(r.report.error.find("binary data, not text") != std::string::npos);
    CHECK(r.issues.count(issue::kBinary) == 1);
    CHECK(r.report.lines == 0);
}

namespace {
// `copies` gzip members (or zstd frames), each `block` inflated, then one holding `tail`:
// a few KB on disk for hundreds of MB of input.
std::string gzip_member(const std::string& data) {
    z_stream zs{};
    REQUIRE(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&zs, data.size()), '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}
std::string zstd_frame(const std::string& data) {
    std::string out(ZSTD_compressBound(data.size()), '\0');
    std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 19);
    REQUIRE_FALSE(ZSTD_isError(n));
    out.resize(n);
    return out;
}
std::string bzip2_stream(const std::string& data) {
    unsigned int size = static_cast<unsigned int>(data.size() + data.size() / 100 + 600);
    std::string out(size, '\0');
    REQUIRE(BZ2_bzBuffToBuffCompress(out.data(), &size, const_cast<char*>(data.data()),
                                     static_cast<unsigned int>(data.size()), 9, 0, 0) == BZ_OK);
    out.resize(size);
    return out;
}
std::string xz_stream(const std::string& data) {
    std::string out(lzma_stream_buffer_bound(data.size()), '\0');
    std::size_t n = 0;
    REQUIRE(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr, reinterpret_cast<const std::uint8_t*>(data.data()),
                                    data.size(), reinterpret_cast<std::uint8_t*>(out.data()), &n,
                                    out.size()) == LZMA_OK);
    out.resize(n);
    return out;
}
template <class Compress>
std::string bomb(Compress compress, const std::string& head, char fill, int copies, const std::string& tail) {
    std::string out = compress(head);
    const std::string member = compress(std::string(1u << 20, fill));
    for (int i = 0; i < copies; ++i) out += member;
    return out + compress(tail);
}
}  // namespace

TEST_CASE("compressed bombs: 256 MiB of one line in a few KB reads in bounded memory", "[ingest][caps]") {
    std::string head = log_line(0, "SELECT 1") + log_line(1, "SELECT ");
    head.pop_back();  // the second statement goes on in the bomb
    const std::string tail = "\n" + log_line(2, "SELECT 3");
    for (bool zstd : {false, true}) {
        CAPTURE(zstd);
        const std::string bytes = zstd ? bomb(zstd_frame, head, 'a', 256, tail)
                                       : bomb(gzip_member, head, 'a', 256, tail);
        CHECK(bytes.size() < 512u << 10);
        const long rss_before = max_rss_kb();
        auto r = ingest_path(write_temp(zstd ? "bomb.log.zst" : "bomb.log.gz", bytes));
        // The process's peak grows by the caps at most, not by the line (a no-op when an earlier test peaked higher).
        if (kRssMeasures) CHECK(max_rss_kb() - rss_before < 128 * 1024);
        REQUIRE(r.statements.size() == 2);
        CHECK(r.statements[0].text == "SELECT 1");
        CHECK(r.statements[1].text == "SELECT 3");
        CHECK(r.issues.count(issue::kLineTooLong) == 1);
        CHECK(first_example(r.issues, issue::kLineTooLong).find(":2: line longer than the 16 MiB cap, skipped") !=
              std::string::npos);
    }
    // bzip2 (streams one after the other, as pbzip2 writes them) and xz (concatenated streams)
    // go through the same caps: 64 MiB of one line, as bzip2 compresses a MiB of one byte to 46 bytes.
    for (bool xz : {false, true}) {
        CAPTURE(xz);
        const std::string bytes = xz ? bomb(xz_stream, head, 'a', 64, tail) : bomb(bzip2_stream, head, 'a', 64, tail);
        CHECK(bytes.size() < 512u << 10);
        const long rss_before = max_rss_kb();
        auto r = ingest_path(write_temp(xz ? "bomb.log.xz" : "bomb.log.bz2", bytes));
        if (kRssMeasures) CHECK(max_rss_kb() - rss_before < 128 * 1024);
        CHECK(r.report.compression == (xz ? "xz" : "bzip2"));
        REQUIRE(r.statements.size() == 2);
        CHECK(r.statements[0].text == "SELECT 1");
        CHECK(r.statements[1].text == "SELECT 3");
        CHECK(r.issues.count(issue::kLineTooLong) == 1);
    }
    // Of NULs: the file stops at its first block.
    auto zeros = ingest_path(write_temp("zeros.zst", bomb(zstd_frame, std::string(), '\0', 256, tail)));
    CHECK(zeros.statements.empty());
    CHECK(zeros.report.error.find("binary data") != std::string::npos);
}

TEST_CASE("read_whole_file: text whole, gzip inflated, binary and documents past the cap refused", "[ingest][caps]") {
    const std::string sql = "SELECT a FROM t WHERE b = 1;\n";
    auto plain = read_whole_file(write_temp("whole.sql", sql));
    REQUIRE(plain.text);
    CHECK(*plain.text == sql);
    auto gz = read_whole_file(write_temp("whole.sql.gz", gzip_member(sql)));
    REQUIRE(gz.text);
    CHECK(*gz.text == sql);
    // The first read of a plain file holds only the 4 peeked magic bytes: the probe waits for a full block.
    auto zeros = read_whole_file(write_temp("whole-zeros.sql", std::string(1u << 20, '\0')));
    CHECK_FALSE(zeros.text);
    CHECK(zeros.error.find("binary data, not text") != std::string::npos);
    CHECK(zeros.error.find("64 KiB") != std::string::npos);
    auto big = read_whole_file(write_temp("whole-big.sql", std::string(3000, ' ') + sql), 1024);
    CHECK_FALSE(big.text);
    CHECK(big.error == "larger than the 1 KiB cap, not read");
}
