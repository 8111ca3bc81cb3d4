// A driver for `pgadvisor ingest` that links only the ingest stage, so the
// benchmark runs even while the full executable does not link. Same options
// subset: FILE... [--format F] [--prefix P] [--json].
#include <cstring>
#include <string>

#include "cli/ingest_command.hpp"

int main(int argc, char** argv) {
    pgadvisor::cli::IngestCommandOptions o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--format" && i + 1 < argc) o.format = argv[++i];
        else if (a == "--prefix" && i + 1 < argc) o.prefix = argv[++i];
        else if (a == "--json") o.json = true;
        else o.inputs.push_back(a);
    }
    return pgadvisor::cli::run_ingest(o);
}
