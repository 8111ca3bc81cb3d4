#include "ingest/ingest.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace pgadvisor::ingest {

namespace fs = std::filesystem;

std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs, Issues& issues) {
    std::vector<std::string> out;
    for (const auto& in : inputs) {
        if (in == "-") {
            out.push_back(in);
            continue;
        }
        std::error_code ec;
        if (fs::is_directory(in, ec)) {
            std::vector<std::pair<fs::file_time_type, std::string>> files;
            for (auto it = fs::recursive_directory_iterator(in, fs::directory_options::skip_permission_denied, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                std::error_code ec2;
                std::string name = it->path().filename().string();
                if (name.empty() || name[0] == '.') continue;  // hidden files, editor droppings
                if (!it->is_regular_file(ec2)) {
                    // Folders are walked; anything else is said, not silently passed over.
                    if (it->is_directory(ec2)) continue;
                    if (it->is_symlink(ec2) && !fs::exists(it->path(), ec2))
                        issues.add(issue::kUnreadable, it->path().string(), 0, "a symbolic link to nothing, skipped");
                    else
                        issues.add(issue::kUnreadable, it->path().string(), 0,
                                   "not a regular file (a FIFO, socket or device), skipped");
                    continue;
                }
                files.emplace_back(it->last_write_time(ec2), it->path().string());
            }
            if (ec) issues.add(issue::kUnreadable, in, 0, ec.message());
            std::sort(files.begin(), files.end());
            for (auto& f : files) out.push_back(std::move(f.second));
        } else {
            out.push_back(in);
        }
    }
    return out;
}

namespace {
bool is_document(Format f) { return f == Format::Explain || f == Format::Sql; }
}  // namespace

FileReport ingest_file(const std::string& path, Format format, const std::optional<std::string>& prefix, Issues& issues,
                       const StatementSink& sink, const SessionTracking& sessions, const InputLimits& limits) {
    FileReport rep;
    rep.path = path;
    auto opened = open_input(path);
    if (!opened.source) {
        rep.error = opened.error;
        issues.add(issue::kUnreadable, path, 0, opened.error);
        return rep;
    }
    rep.compression = compression_name(opened.compression);
    LineReader lines(*opened.source, limits.max_line_bytes);
    lines.report_to(issues, path);
    const std::string_view head = lines.peek(kBinaryProbeBytes);
    // /dev/zero, a disk image, a core file: stop before reading a byte more.
    if (block_is_binary(head)) {
        rep.error = binary_data_error(head.size());
        issues.add(issue::kBinary, path, 1, rep.error);
        return rep;
    }
    if (format == Format::Auto) format = detect_format(head, path);
    rep.format = format;
    // Named, not read: its lines are the pooler's, not the server's (exit 2 when it is all there is).
    if (format == Format::Pgbouncer) {
        rep.error = kPgbouncerLogError;
        issues.add(issue::kNotServerLog, path, 1, rep.error);
        return rep;
    }
    // A document is read whole, whatever its lines: one line may be all of it.
    if (is_document(format)) lines.set_max_line_bytes(limits.max_document_bytes);
    ReaderContext ctx;
    ctx.file = path;
    ctx.prefix = prefix;
    ctx.issues = &issues;
    ctx.sessions = sessions;
    ctx.limits = limits;
    ctx.sink = [&](Statement&& s) {
        ++rep.statements;
        sink(std::move(s));
    };
    switch (format) {
        case Format::Auto:
        case Format::Stderr: read_stderr(lines, ctx); break;
        case Format::Syslog: read_syslog(lines, ctx); break;
        case Format::Csvlog: read_csvlog(lines, ctx); break;
        case Format::Jsonlog: read_jsonlog(lines, ctx); break;
        case Format::Explain: read_explain(lines, ctx); break;
        case Format::Pgss: read_pgss(lines, ctx); break;
        case Format::Sql: read_sql(lines, ctx); break;
        case Format::Pgbouncer: break;
    }
    rep.prefix = ctx.detected_prefix;
    rep.notes = std::move(ctx.notes);
    rep.lines = lines.line_number();
    if (!lines.error().empty()) issues.add(issue::kTruncated, path, lines.line_number(), lines.error());
    // A log whose last line has no newline was cut (or is still being written);
    // that line was read as it is.
    bool is_log = format == Format::Stderr || format == Format::Syslog || format == Format::Csvlog ||
                  format == Format::Jsonlog;
    if (is_log && lines.ended_without_newline())
        issues.add(issue::kTruncated, path, lines.line_number(),
                   "the last line has no newline (cut or still being written)");
    return rep;
}

IngestReport ingest(const IngestOptions& options, const StatementSink& sink) {
    IngestReport rep;
    // Several files are read oldest first (modification time, then name), so
    // rotated logs come in time order whatever order they were named in.
    auto paths = expand_inputs(options.inputs, rep.issues);
    std::vector<std::pair<fs::file_time_type, std::string>> dated;
    std::error_code ec;
    for (auto& p : paths)
        dated.emplace_back(p == "-" ? fs::file_time_type::min() : fs::last_write_time(p, ec), std::move(p));
    std::stable_sort(dated.begin(), dated.end());
    for (const auto& [_, path] : dated) {
        auto f = ingest_file(path, options.format, options.prefix, rep.issues, sink, options.sessions);
        rep.statements += f.statements;
        // A note about the prefix says the same for every file that uses it: once is enough.
        for (const auto& n : f.notes)
            if (std::find(rep.notes.begin(), rep.notes.end(), n) == rep.notes.end()) rep.notes.push_back(n);
        rep.files.push_back(std::move(f));
    }
    return rep;
}

void IngestReport::add(const IngestReport& part) {
    files.insert(files.end(), part.files.begin(), part.files.end());
    issues.merge(part.issues);
    for (const auto& note : part.notes)
        if (std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(note);
    statements += part.statements;
}

std::vector<std::string> IngestReport::why_nothing_read() const {
    std::vector<std::string> why;
    std::vector<std::string> failed;  // "path:" of each file that could not be read
    for (const auto& f : files)
        if (!f.error.empty()) {
            why.push_back(f.path + ": error: " + f.error);
            failed.push_back(f.path + ":");
        }
    // A skipped kind all of whose items are in those files (their error said it) is not repeated.
    auto in_failed_file = [&](const std::string& example) {
        return std::any_of(failed.begin(), failed.end(), [&](const auto& p) { return example.rfind(p, 0) == 0; });
    };
    for (const auto& [kind, k] : issues.kinds()) {
        if (static_cast<std::size_t>(k.count) == k.examples.size() &&
            std::all_of(k.examples.begin(), k.examples.end(), in_failed_file))
            continue;
        why.push_back(std::to_string(k.count) + " x skipped, " + kind +
                      (k.examples.empty() ? std::string() : ": first at " + k.examples.front()));
    }
    if (why.empty()) why.push_back(files.empty() ? "no input file was found" : "the input holds no statement");
    return why;
}

}  // namespace pgadvisor::ingest
