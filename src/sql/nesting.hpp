#pragma once
// How deep an input may nest before pgadvisor refuses it as an input problem
// ("nested too deeply") instead of overflowing the stack: parse trees from
// libpg_query and the JSON documents the readers take (jsonlog records, EXPLAIN
// and auto_explain JSON plans). Takes text; gives a yes/no and the one message.
// The check is a single loop over the text, so the check itself cannot overflow.

#include <string>
#include <string_view>

namespace pgadvisor::sql {

// Objects and arrays open at once. Every reader of a parse tree or a plan (and
// nlohmann's copy and dump) recurses once per level or two. The deepest of them,
// canonical_expr (the DDL loader's text of a DEFAULT or CHECK), takes about 10 KB
// of stack per operator under AddressSanitizer: at this depth it needs under
// 3 MB of the main thread's 8 MB (release: under 0.3 MB); measured in
// docs/fuzzing.md, "Deep inputs". A parse tree spends two levels per operator:
// `SELECT 1+1+...` reaches the limit at 250 terms, a UNION ALL chain at about 250 SELECTs.
inline constexpr int kMaxJsonDepth = 500;

// Whether the JSON text opens more than max_depth objects and arrays at once
// (brackets inside strings do not count). Broken JSON is not judged here.
bool json_nests_deeper_than(std::string_view json, int max_depth = kMaxJsonDepth);

// The message every reader gives for such an input, naming what was too deep.
std::string nested_too_deeply(std::string_view what);

}  // namespace pgadvisor::sql
