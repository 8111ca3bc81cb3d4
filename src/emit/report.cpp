#include "emit/report.hpp"

#include "emit/report_common.hpp"

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
        case ReportFormat::Text: return report_detail::render_text(input, options);
        case ReportFormat::Json: return report_detail::render_json(input);
        case ReportFormat::Markdown: return report_detail::render_markdown(input, options);
        case ReportFormat::Sarif: return report_detail::render_sarif(input);
    }
    return report_detail::render_text(input, options);
}

}  // namespace pgadvisor::emit
