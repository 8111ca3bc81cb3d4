// libFuzzer harness: a user's .pgadvisor.toml applied over the embedded rule
// defaults, then printed back; also the first line as a --rule ID.KEY=VALUE
// and the whole text as a rule defaults file.
#include "fuzz_support.hpp"
#include "rules/config.hpp"

using namespace pgadvisor;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const rules::RuleSet defaults = rules::load_default_rules();
    auto text = fuzz::as_text(data, size);
    {
        auto set = defaults;
        rules::apply_config_text(set, text, "fuzz.toml");
        auto out = rules::to_toml(set);
        (void)out;
    }
    {
        auto set = defaults;
        auto nl = text.find('\n');
        rules::apply_override(set, text.substr(0, nl));
    }
    std::vector<rules::ConfigError> errors;
    auto one = rules::parse_rule_defaults(text, "fuzz-rule.toml", errors);
    (void)one;
    return 0;
}
