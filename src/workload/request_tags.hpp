#pragma once
// Request tags an application puts in its statements' comments, so the
// workload stage can group statements by request and name the code path:
//   sqlcommenter  /*route='%2Forders',traceparent='00-...-01'*/   (values URL-encoded, \' escaped)
//   marginalia    /*application:Shop,controller:orders,action:index*/

#include <map>
#include <string>
#include <string_view>

namespace pgadvisor::workload {

using RequestTags = std::map<std::string, std::string>;

// Tags from one comment's text (delimiters already removed). A comment that
// is not a tag list (free text) gives an empty map.
RequestTags parse_tag_comment(std::string_view comment);

// Tags from every comment of a statement; later comments win on a repeated key.
RequestTags request_tags_of(std::string_view statement);

// "%2Forders" -> "/orders"; malformed escapes are kept as written.
std::string url_decode(std::string_view text);

// The code path tags name: route (sqlcommenter), else controller#action (marginalia,
// Rails' query_log_tags); empty when they name none.
std::string route_of(const RequestTags& tags);

}  // namespace pgadvisor::workload
