#include "cli/app.hpp"
#include "cli/keep_until_exit.hpp"

#ifdef PGADVISOR_JEMALLOC
// jemalloc's options, read when the process starts (MALLOC_CONF in the environment still adds to
// them). One arena for every thread: a new shape is described on a worker and kept by the calling
// thread, and with an arena per thread the 50,000-shape log's peak RSS went 188-206 MB from run to
// run as the threads' timing varied; with one, 185-187 MB at the same speed (docs/benchmarks.md, issue 17).
// Transparent huge pages for its memory where the kernel leaves them to the program
// (/sys/kernel/mm/transparent_hugepage/enabled = madvise, as here): on the 50,000-shape log
// the 4 KB pages' first-touch faults (51,000) were a tenth of the calling thread's time, with
// huge pages 3,000 (docs/benchmarks.md, "Huge pages for the shapes' memory"). No effect where THP is always or never.
extern "C" {
const char* malloc_conf = "narenas:1,thp:always";
}
#endif

int main(int argc, char** argv) {
    // What a command built is left to the exit (keep_until_exit.hpp).
    pgadvisor::cli::set_process_ends_after_command(true);
    return pgadvisor::cli::run(argc, argv);
}
