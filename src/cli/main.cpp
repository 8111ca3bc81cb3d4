#include "cli/app.hpp"

int main(int argc, char** argv) { return pgadvisor::cli::run(argc, argv); }
