#pragma once
// The ingest stage's entry point: files, directories and stdin in, Statement
// records out (in file order, each file streamed), with bad input counted.
// Takes: paths + options. Gives: Statements to a sink, and an IngestReport.

#include <optional>
#include <string>
#include <vector>

#include "ingest/issues.hpp"
#include "ingest/limits.hpp"
#include "ingest/readers.hpp"
#include "ingest/record.hpp"

namespace pgadvisor::ingest {

struct IngestOptions {
    std::vector<std::string> inputs;  // files, directories, "-" for stdin
    Format format = Format::Auto;
    std::optional<std::string> prefix;  // log_line_prefix; detected when absent
    SessionTracking sessions;           // off: every session's state is kept to the end of input
};

struct FileReport {
    std::string path;
    Format format = Format::Auto;
    std::string compression;  // compression_name: "", "gzip", "zstd", "bzip2", "xz"
    std::string prefix;       // the log_line_prefix used (stderr, syslog)
    long long statements = 0;
    long long lines = 0;
    std::string error;  // set when the file could not be read at all
    // What the reader wants the user to know that is not bad input: a
    // log_line_prefix change at file:line, client-controlled prefix fields.
    std::vector<std::string> notes = {};
};

struct IngestReport {
    std::vector<FileReport> files;
    Issues issues;
    std::vector<std::string> notes;  // every file's notes, each once
    long long statements = 0;
    // True when nothing at all could be read (the CLI exits 2 then): every
    // file failed to open, or no statement came out and input was skipped.
    // A log that holds only connections is read fine and has no statements.
    bool nothing_read() const {
        if (statements > 0) return false;
        bool all_failed = !files.empty();
        for (const auto& f : files) all_failed &= !f.error.empty();
        return files.empty() || all_failed || issues.total() > 0;
    }
    // Why nothing_read(), a line each: every file that could not be read
    // ("path: error: why"), then each kind of input skipped with its count and
    // first example; if neither, that there was no input or no statement.
    std::vector<std::string> why_nothing_read() const;
    // Another part's report (a digest's, issue 17): its files after these, issues and statements added.
    void add(const IngestReport& part);
};

// Expand directories (recursively, regular files) and order the files by
// modification time, then name, so rotated logs are read oldest first.
std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs, Issues& issues);

IngestReport ingest(const IngestOptions& options, const StatementSink& sink);

// One file through the reader for its format, within the caps of ingest/limits.hpp.
// A file that starts with binary data is not read (FileReport::error says so).
FileReport ingest_file(const std::string& path, Format format, const std::optional<std::string>& prefix, Issues& issues,
                       const StatementSink& sink, const SessionTracking& sessions = {}, const InputLimits& limits = {});

}  // namespace pgadvisor::ingest
