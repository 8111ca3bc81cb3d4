#pragma once
// A digest file (issue 17, "Beyond one machine"; docs/digest-format.md): what
// pgadvisor keeps of logs read where they lie, to be merged and advised on
// elsewhere. JSON records, one per line, in one zstd frame:
//   the header (workload_digest.hpp: magic, version, whether literals are in it),
//   one record per input file read (the ingest report) and one of ingest's issues,
//   the workload's records (shapes, totals),
//   one record per session rule (its id, options and Rule::saved_state),
//   the trailer with the number of records before it (a cut file is refused).
// Written whole or not at all (emit/atomic_file.hpp); "-" is standard output.
//
// Takes: what a run read (ingest report, workload, the rules' states). Gives: the file; and back.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ingest/ingest.hpp"
#include "ingest/input.hpp"
#include "rules/config.hpp"
#include "workload/workload.hpp"

namespace pgadvisor::cli {

// A session rule's state in a digest, with the options it was read under.
struct RuleState {
    std::string id;
    nlohmann::json options;  // the rule's option keys and values
    nlohmann::json state;    // Rule::saved_state
};

// A rule's options as a digest records them: {"min_repeats": 3, ...}.
nlohmann::json rule_options_json(const rules::RuleConfig& config);

struct Digest {
    bool literals = false;  // values of the logs kept (--show-literals)
    ingest::IngestReport ingest;
    workload::Workload workload;
    std::vector<RuleState> rules;
};

// The digest's bytes as written: the compressed records, made on up to `jobs` threads.
std::string digest_bytes(const Digest& digest, unsigned jobs = 1);
// Writes the digest to `path` ("-": standard output), atomically, replacing a file there.
bool write_digest(const std::string& path, const Digest& digest, std::string& error, unsigned jobs = 1);

// Whether a file is a digest (by its content, whatever its name): its first line
// is a digest header. "-" (standard input) is never taken for one: it can be read once only.
bool is_digest_file(const std::string& path);
// The digest in a file; nullopt and `error` (why, with the record's line; the caller names the file) when it does not read.
// Its shapes are shaped again on up to `jobs` threads.
std::optional<Digest> read_digest(const std::string& path, std::string& error, unsigned jobs = 1);
// The same from bytes already open (decompressed): the fuzz harness's entry.
std::optional<Digest> read_digest_from(ingest::ByteSource& source, std::string& error, unsigned jobs = 1);

}  // namespace pgadvisor::cli
