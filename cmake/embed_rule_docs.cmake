# Writes a C++ source holding the text of every docs/rules/*.md page, so the
# SARIF report carries each rule's help without data files at run time.
# Run at build time: cmake -DDOCS_DIR=... -DOUTPUT=... -P embed_rule_docs.cmake
file(GLOB doc_files "${DOCS_DIR}/*.md")
list(SORT doc_files)
set(body "")
foreach(f IN LISTS doc_files)
  get_filename_component(id "${f}" NAME_WE)
  file(READ "${f}" text)
  string(APPEND body "        {\"${id}\", R\"pgadvisor_md(${text})pgadvisor_md\"},\n")
endforeach()
set(content "// Generated from docs/rules/*.md by cmake/embed_rule_docs.cmake. Do not edit.
#include \"emit/rule_docs.hpp\"

#include <utility>
#include <vector>

namespace pgadvisor::emit {

std::string_view rule_doc(std::string_view rule_id) {
    static const std::vector<std::pair<std::string_view, std::string_view>> docs = {
${body}    };
    for (const auto& [id, text] : docs)
        if (id == rule_id) return text;
    return {};
}

}  // namespace pgadvisor::emit
")
# Only touch the output when it changes, so nothing rebuilds needlessly.
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${content}")
