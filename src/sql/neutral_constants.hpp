#pragma once
// A statement without its data but with its shape: every constant's value
// replaced by a neutral one of the same kind, comments dropped. Shaping the
// result (shape.hpp) gives the shape of the original statement: the same
// fingerprint, the same literals (constants still constants, in the same order,
// $n untouched), the same predicates. What a digest (issue 17, "Beyond one
// machine") keeps of a statement so that the rules see its shape on another
// machine and no value of the log leaves the machine it lies on.
//
// A string constant keeps only where its LIKE wildcards (% and _) are: each run
// of other characters becomes one 'x' ('abc%' -> 'x%', '' stays ''), so a
// prefix pattern stays a prefix pattern (PredicateClass::LikePrefix). A number
// becomes 1 (integer) or 1.0 (with a point or an exponent); a bit string B'0',
// a hex string X'0'. TRUE, FALSE, NULL and $n are kept, and so are the
// numbers that name an output column (GROUP BY 2, ORDER BY 1), which are no values. Comments (sqlcommenter
// tags: trace ids, routes) are dropped: they belong to one execution.
//
// Takes: one statement's text. Gives: that text, neutral; nullopt when it cannot
// be scanned (then nothing is known to be free of values).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/parser.hpp"
#include "sql/query_shape.hpp"

namespace pgadvisor::sql {

std::optional<std::string> with_neutral_constants(std::string_view statement);
// The same for a statement already shaped: its QueryShape::value_spans, from the scan and parse
// that shaped it, where the one-argument form scans and parses the statement to find them.
std::optional<std::string> with_neutral_constants(std::string_view statement, const std::vector<TextSpan>& value_spans);

// What a neutral text replaces in a statement of these tokens (scan_tokens'), in text order:
// each constant token but those at `output_column_numbers` (their locations, ascending:
// tree::add_output_column_numbers), and each comment.
std::vector<TextSpan> value_spans(const std::vector<Token>& tokens, const std::vector<int>& output_column_numbers);

// A value the application's code rather than its users wrote: a short
// lowercase identifier ('queued', 'no_show', 'true') or a one-digit flag
// ('0', '1', '-1'). Such a value may be written without --show-literals where
// a report needs it (seq-scan's partial index predicate, docs/rules/seq-scan.md)
// and is kept in a digest for that; a name, an e-mail address, an id or a date may not.
bool looks_like_code_constant(std::string_view value);

}  // namespace pgadvisor::sql
