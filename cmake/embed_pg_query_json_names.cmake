# Writes a C++ source holding, for every field of libpg_query's protobuf messages,
# the key its JSON parse tree gives that field (pg_query.proto's json_name): the
# protobuf-c descriptors keep only the proto name ("target_list"), and the JSON
# key is not always its camel case ("targetList", but "join_using_alias").
# Run at build time: cmake -DPROTO=.../pg_query.proto -DOUTPUT=... -P embed_pg_query_json_names.cmake
file(READ "${PROTO}" proto)
# Each match is "message Name" or "field_name = N [json_name="key"]"; they come in file order.
string(REGEX MATCHALL "message [A-Za-z0-9_]+|[a-z0-9_]+ = [0-9]+ \\[json_name=\"[A-Za-z0-9_]+\"\\]" items "${proto}")
set(body "")
set(message "")
set(count 0)
foreach(item IN LISTS items)
  if(item MATCHES "^message ([A-Za-z0-9_]+)$")
    set(message "${CMAKE_MATCH_1}")
  elseif(item MATCHES "^([a-z0-9_]+) = [0-9]+ \\[json_name=\"([A-Za-z0-9_]+)\"\\]$")
    string(APPEND body "        {\"${message}\", \"${CMAKE_MATCH_1}\", \"${CMAKE_MATCH_2}\"},\n")
    math(EXPR count "${count} + 1")
  endif()
endforeach()
if(count LESS 1000)
  message(FATAL_ERROR "${PROTO}: found ${count} json_name fields; expected libpg_query 15's 1,400 or so")
endif()
set(content "// Generated from pg_query.proto by cmake/embed_pg_query_json_names.cmake. Do not edit.
#include \"sql/tree_from_protobuf.hpp\"

namespace pgadvisor::sql::detail {

const std::vector<JsonFieldName>& pg_query_json_names() {
    static const std::vector<JsonFieldName> names = {
${body}    };
    return names;
}

}  // namespace pgadvisor::sql::detail
")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${content}")
