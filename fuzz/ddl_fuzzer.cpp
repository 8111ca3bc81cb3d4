// libFuzzer harness: the offline catalog's DDL loader (pg_dump --schema-only,
// hand-written schemas, migrations), then the row assumptions applied on top.
#include "catalog/ddl_loader.hpp"
#include "fuzz_support.hpp"

using namespace pgadvisor;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    catalog::Catalog cat;
    catalog::apply_ddl(cat, fuzz::as_text(data, size), "fuzz-input.sql");
    catalog::OfflineOptions opt;
    opt.assume_rows["public.t"] = 10;
    catalog::assume_rows(cat, opt);
    return 0;
}
