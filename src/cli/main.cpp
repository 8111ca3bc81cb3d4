#include "cli/app.hpp"

#ifdef PGADVISOR_JEMALLOC
// jemalloc's options, read when the process starts (MALLOC_CONF in the environment still adds to
// them). One arena for every thread: a new shape is described on a worker and kept by the calling
// thread, and with an arena per thread the 50,000-shape log's peak RSS went 188-206 MB from run to
// run as the threads' timing varied; with one, 185-187 MB at the same speed (docs/benchmarks.md, issue 17).
extern "C" {
const char* malloc_conf = "narenas:1";
}
#endif

int main(int argc, char** argv) { return pgadvisor::cli::run(argc, argv); }
