#include "emit/report.hpp"

#include "emit/report_common.hpp"
#include "sql/text.hpp"

namespace pgadvisor::emit {

std::optional<ReportFormat> report_format_from_string(std::string_view name) {
    if (name == "text") return ReportFormat::Text;
    if (name == "json") return ReportFormat::Json;
    if (name == "markdown" || name == "md") return ReportFormat::Markdown;
    if (name == "sarif") return ReportFormat::Sarif;
    return std::nullopt;
}

std::string render_report(const ReportInput& input, ReportFormat format, const RenderOptions& options) {
    switch (format) {
        // Identifiers from a schema or a log can hold escape sequences and bidi overrides:
        // a terminal or a rendered page must show them, not obey them. JSON and SARIF escape
        // control characters themselves and are read by programs.
        case ReportFormat::Text: return sql::terminal_safe(report_detail::render_text(input, options), options.color);
        case ReportFormat::Json: return report_detail::render_json(input);
        case ReportFormat::Markdown: return sql::terminal_safe(report_detail::render_markdown(input, options));
        case ReportFormat::Sarif: return report_detail::render_sarif(input);
    }
    return sql::terminal_safe(report_detail::render_text(input, options), options.color);
}

}  // namespace pgadvisor::emit
