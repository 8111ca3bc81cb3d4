#pragma once
// `pgadvisor shape FILE...|-`: print each statement's QueryShape.

#include <string>
#include <vector>

namespace pgadvisor::cli {

struct ShapeOptions {
    std::vector<std::string> inputs;  // files, or "-" for stdin
    bool json = false;
    bool show_literals = false;
};

int run_shape(const ShapeOptions& options);

}  // namespace pgadvisor::cli
