# Writes a C++ source holding the text of every rules/*.toml file.
# Run at build time: cmake -DRULES_DIR=... -DOUTPUT=... -P embed_rule_defaults.cmake
file(GLOB rule_files "${RULES_DIR}/*.toml")
list(SORT rule_files)
set(body "")
foreach(f IN LISTS rule_files)
  get_filename_component(name "${f}" NAME)
  file(READ "${f}" text)
  string(APPEND body "        {\"${name}\", R\"pgadvisor_toml(${text})pgadvisor_toml\"},\n")
endforeach()
set(content "// Generated from rules/*.toml by cmake/embed_rule_defaults.cmake. Do not edit.
#include \"rules/embedded_defaults.hpp\"

namespace pgadvisor::rules {

const std::vector<EmbeddedRuleFile>& embedded_rule_files() {
    static const std::vector<EmbeddedRuleFile> files = {
${body}    };
    return files;
}

}  // namespace pgadvisor::rules
")
# Only touch the output when it changes, so nothing rebuilds needlessly.
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${content}")
