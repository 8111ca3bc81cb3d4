#include "cli/digest_file.hpp"

#include <fmt/core.h>
#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "emit/atomic_file.hpp"
#include "ingest/input.hpp"
#include "ingest/readers.hpp"
#include "sql/nesting.hpp"
#include "workload/workload_digest.hpp"

namespace pgadvisor::cli {
namespace {

using nlohmann::json;

// One record is one line; a shape with a long statement is the largest.
constexpr std::size_t kMaxRecordBytes = std::size_t{1} << 30;
// A digest's first line, its header ({"format", "version", "literals"}), is well within this.
constexpr std::size_t kHeaderProbeBytes = 4096;
// zstd's default level: a digest is written once per log and read once per merge.
constexpr int kZstdLevel = 3;

json file_record(const ingest::FileReport& f) {
    return {{"input",
             {{"path", f.path},
              {"format", ingest::format_name(f.format)},
              {"compression", f.compression},
              {"prefix", f.prefix},
              {"statements", f.statements},
              {"lines", f.lines},
              {"error", f.error},
              {"notes", f.notes}}}};
}

ingest::FileReport file_from(const json& j) {
    ingest::FileReport f;
    f.path = j.at("path").get<std::string>();
    f.format = ingest::parse_format(j.at("format").get<std::string>()).value_or(ingest::Format::Auto);
    f.compression = j.at("compression").get<std::string>();
    f.prefix = j.at("prefix").get<std::string>();
    f.statements = workload::number_from<long long>(j.at("statements"));
    f.lines = workload::number_from<long long>(j.at("lines"));
    f.error = j.at("error").get<std::string>();
    f.notes = j.at("notes").get<std::vector<std::string>>();
    return f;
}

// A digest's records compressed as they are written, into one zstd frame: the records'
// text is never held whole (51 MB for 50,000 shapes, and as much again for the compressor's
// worst-case buffer, every page of it zeroed), nor are their documents (issue 17).
class RecordWriter {
public:
    RecordWriter() : stream_(ZSTD_createCCtx()) {
        if (!stream_) throw std::runtime_error("zstd could not allocate a compressor");
        check(ZSTD_CCtx_setParameter(stream_, ZSTD_c_compressionLevel, kZstdLevel));
    }
    ~RecordWriter() { ZSTD_freeCCtx(stream_); }
    RecordWriter(const RecordWriter&) = delete;
    RecordWriter& operator=(const RecordWriter&) = delete;

    void write(const json& record) { write_line(workload::record_line(record)); }
    // One record's line (workload::record_line).
    void write_line(std::string_view line) {
        compress(line, ZSTD_e_continue);
        compress("\n", ZSTD_e_continue);
        ++records_;
    }
    std::size_t records() const { return records_; }
    // The compressed bytes, the frame ended.
    std::string finish() {
        compress({}, ZSTD_e_end);
        out_.resize(written_);
        return std::move(out_);
    }

private:
    static std::size_t check(std::size_t code) {
        if (ZSTD_isError(code)) throw std::runtime_error(ZSTD_getErrorName(code));
        return code;
    }
    void compress(std::string_view text, ZSTD_EndDirective mode) {
        ZSTD_inBuffer in{text.data(), text.size(), 0};
        for (;;) {
            if (out_.size() - written_ < ZSTD_CStreamOutSize())
                out_.resize(std::max(2 * out_.size(), written_ + ZSTD_CStreamOutSize()));
            ZSTD_outBuffer out{out_.data() + written_, out_.size() - written_, 0};
            const std::size_t left = check(ZSTD_compressStream2(stream_, &out, &in, mode));
            written_ += out.pos;
            // Taken in whole (continue), or the frame flushed to its end (end).
            if (mode == ZSTD_e_end ? left == 0 : in.pos == in.size) return;
        }
    }

    ZSTD_CCtx* stream_;
    std::string out_;
    std::size_t written_ = 0, records_ = 0;
};

bool write_stdout(const std::string& bytes, std::string& error) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0) {
        error = "standard output: write failed";
        return false;
    }
    return true;
}

// The records of one digest, read in order.
// One line as a record; throws on one that is not JSON.
json parse_record(std::string_view line) {
    // Refused before nlohmann reads it: a record nested deeper than any digest writes would overflow the stack.
    if (sql::json_nests_deeper_than(line)) throw std::runtime_error(sql::nested_too_deeply("a record"));
    auto record = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded()) throw std::runtime_error("a line that is not a JSON record");
    return record;
}

class RecordReader {
public:
    explicit RecordReader(ingest::ByteSource& source) : lines_(source, kMaxRecordBytes) {}
    // The next record; nullopt at the end. Throws on one that is not JSON (line() names it).
    std::optional<json> next() {
        std::string_view line;
        if (!lines_.next(line)) {
            if (!lines_.error().empty()) throw std::runtime_error(lines_.error());
            return std::nullopt;
        }
        return parse_record(line);
    }
    long line() const { return lines_.line_number(); }

private:
    ingest::LineReader lines_;
};

// The records after the header, sorted into the digest; throws on one that does not fit.
void read_records(RecordReader& reader, Digest& d, unsigned jobs) {
    workload::WorkloadRecords workload(jobs);  // read as they come, not held as documents
    std::string error;
    long long records = 1;  // the header
    bool ended = false;
    while (auto r = reader.next()) {
        if (ended) throw std::runtime_error("a record after the trailer");
        if (r->contains("input")) d.ingest.files.push_back(file_from(r->at("input")));
        else if (r->contains("ingest_issues")) workload::issues_from(r->at("ingest_issues"), d.ingest.issues);
        else if (r->contains("shape") || r->contains("workload")) {
            if (!workload.add(*r, error)) throw std::runtime_error(error);
        } else if (r->contains("rule")) {
            json& j = r->at("rule");
            d.rules.push_back({j.at("id").get<std::string>(), std::move(j.at("options")), std::move(j.at("state"))});
        } else if (r->contains("end")) {
            if (workload::number_from<long long>(r->at("end").at("records")) != records)
                throw std::runtime_error("the trailer counts another number of records (records are missing)");
            ended = true;
            continue;
        } else {
            throw std::runtime_error("a record of a kind this version does not know");
        }
        ++records;
    }
    if (!ended) throw std::runtime_error("no trailer: the digest is cut short");
    auto w = workload.finish(error);
    if (!w) throw std::runtime_error(error);
    d.workload = std::move(*w);
    for (const auto& f : d.ingest.files) d.ingest.statements += f.statements;
    for (const auto& f : d.ingest.files)
        for (const auto& note : f.notes)
            if (std::find(d.ingest.notes.begin(), d.ingest.notes.end(), note) == d.ingest.notes.end())
                d.ingest.notes.push_back(note);
}

}  // namespace

nlohmann::json rule_options_json(const rules::RuleConfig& config) {
    json j = json::object();
    for (const auto& option : config.options) std::visit([&](const auto& v) { j[option.first] = v; }, option.second);
    return j;
}

std::string digest_bytes(const Digest& d, unsigned jobs) {
    RecordWriter out;
    out.write(workload::digest_header(d.literals));
    for (const auto& f : d.ingest.files) out.write(file_record(f));
    out.write({{"ingest_issues", workload::issues_json(d.ingest.issues, d.literals)}});
    workload::write_workload_lines(d.workload, d.literals, jobs,
                                   [&](const std::string& line) { out.write_line(line); });
    for (const auto& r : d.rules) out.write({{"rule", {{"id", r.id}, {"options", r.options}, {"state", r.state}}}});
    out.write({{"end", {{"records", out.records()}}}});
    return out.finish();
}

bool write_digest(const std::string& path, const Digest& d, std::string& error, unsigned jobs) {
    std::string bytes;
    try {
        bytes = digest_bytes(d, jobs);
    } catch (const std::exception& e) {
        error = fmt::format("{}: the digest could not be compressed: {}", path, e.what());
        return false;
    }
    if (path == "-") return write_stdout(bytes, error);
    return emit::write_file_atomically(path, bytes, emit::Overwrite::Replace, error);
}

bool is_digest_file(const std::string& path) {
    if (path == "-") return false;
    auto opened = ingest::open_input(path);
    if (!opened.source) return false;
    // Every input of analyze and ingest is asked: only its first block is read, so a file with no
    // newline (/dev/zero, a one-line dump) is not read up to a record's 1 GiB to find out.
    ingest::LineReader lines(*opened.source, kHeaderProbeBytes);
    const std::string_view head = lines.peek(kHeaderProbeBytes);
    const std::size_t newline = head.find('\n');
    if (newline == std::string_view::npos) return false;
    try {
        return workload::digest_header_problem(parse_record(head.substr(0, newline))).empty();
    } catch (const std::exception&) {
        return false;
    }
}

std::optional<Digest> read_digest(const std::string& path, std::string& error, unsigned jobs) {
    auto opened = ingest::open_input(path);
    if (!opened.source) {
        error = opened.error;
        return std::nullopt;
    }
    return read_digest_from(*opened.source, error, jobs);
}

std::optional<Digest> read_digest_from(ingest::ByteSource& source, std::string& error, unsigned jobs) {
    RecordReader reader(source);
    Digest d;
    try {
        auto header = reader.next();
        const std::string problem = header ? workload::digest_header_problem(*header) : "an empty file";
        if (!problem.empty()) {
            error = problem;
            return std::nullopt;
        }
        d.literals = header->value("literals", false);
        read_records(reader, d, jobs);
    } catch (const std::exception& e) {
        error = fmt::format("line {}: not a digest this pgadvisor can read: {}", reader.line(), e.what());
        return std::nullopt;
    }
    return d;
}

}  // namespace pgadvisor::cli
