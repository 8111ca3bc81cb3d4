#pragma once
// Each rule's doc page (docs/rules/<id>.md), compiled into the binary by
// cmake/embed_rule_docs.cmake, for the help text of the SARIF report.

#include <string_view>

namespace pgadvisor::emit {

// The Markdown of docs/rules/<rule_id>.md; empty when the rule has no page.
std::string_view rule_doc(std::string_view rule_id);

}  // namespace pgadvisor::emit
