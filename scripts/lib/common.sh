# Shared by scripts/demo and scripts/test: install what is missing, configure, build.
# Sourced, not run.

PGADVISOR_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Every Debian package the build, the demo and the tests need.
PGADVISOR_BUILD_PACKAGES=(
  build-essential cmake pkg-config ccache
  libpg-query-dev libprotobuf-c-dev libpqxx-dev libpq-dev libcli11-dev libfmt-dev catch2
  nlohmann-json3-dev libtomlplusplus-dev zlib1g-dev libzstd-dev libbz2-dev liblzma-dev libjemalloc-dev
)
# clang + libclang-rt-14-dev: the libFuzzer harnesses (scripts/fuzz, -fsanitize=fuzzer).
# clang-format (14 on bookworm): scripts/check-format, the ctest test `format`.
# python3-yaml: tests/ci/check-ci-doc reads the workflows in docs/ci.md.
# Django, Alembic (SQLAlchemy), ActiveRecord and their drivers: tests/{django,alembic,rails}
# apply the migration layouts with the real tools. Installed here, before ctest runs tests in
# parallel: two tests installing packages at once would meet dpkg's lock.
PGADVISOR_TEST_PACKAGES=(postgresql-15 postgresql-15-hypopg postgresql-client-15 pgbadger gzip zstd clang libclang-rt-14-dev
  clang-format python3-yaml python3-django python3-alembic python3-sqlalchemy python3-psycopg2 ruby-activerecord ruby-pg)

# Each step with the time it began: a CI log then says where its minutes went.
log() { printf '\033[1m==> %(%H:%M:%S)T %s\033[0m\n' -1 "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "need root (or sudo) to run: $*" >&2; return 1
  fi
}

# Install the packages that are not installed yet; does nothing when all are.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null
}

# Node and npm, from Debian when there are none: a machine with another Node build
# (which ships its own npm) keeps it, since Debian's npm package would conflict with it.
ensure_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && return 0
  ensure_packages nodejs npm
}

# ensure_npm_tree DIR: DIR/node_modules exactly as DIR/package-lock.json pins it
# (npm ci), installed once and again only when the lock file changes (a copy of
# the lock inside node_modules says what is installed).
ensure_npm_tree() {
  local dir=$1 stamp=$1/node_modules/.pgadvisor-installed-lock.json
  cmp -s "$dir/package-lock.json" "$stamp" && return 0
  ensure_node
  log "npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error </dev/null >&2)
  cp "$dir/package-lock.json" "$stamp"
}

# configure BUILD_DIR [extra cmake args...]: once; a build folder keeps its configuration.
configure() {
  local build=$1; shift
  if [ ! -f "$build/CMakeCache.txt" ]; then
    log "configuring $build"
    cmake -S "$PGADVISOR_ROOT" -B "$build" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  fi
}

# configure_and_build BUILD_DIR [extra cmake args...]: every target, the tests too.
configure_and_build() {
  configure "$@"
  log "building $1"
  cmake --build "$1" -j "$(nproc)"
}

# The sanitized build: clang, ASan and UBSan at -O1 with line tables (ASan's usual level, file and
# line in its reports), the library with libFuzzer's coverage counters. One build serves the
# sanitized test suite (scripts/test) and the fuzzers (scripts/fuzz): the library compiles once.
PGADVISOR_SANITIZED_BUILD=$PGADVISOR_ROOT/build-asan
configure_sanitized() {
  local build=$PGADVISOR_SANITIZED_BUILD
  # A folder configured before this build served both (GCC, no fuzzers) starts again.
  if [ -f "$build/CMakeCache.txt" ] && ! grep -q '^PGADVISOR_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
    log "reconfiguring $build for clang with the fuzzers"
    rm -rf "$build"
  fi
  configure "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPGADVISOR_SANITIZE=ON -DPGADVISOR_FUZZ=ON \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG"
}

# What the sanitizers do on an error, for the sanitized tests and the fuzzers alike.
export_sanitizer_options() {
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PGADVISOR_ROOT/tests/lsan.supp}  # a libpg_query leak (tests/lsan.supp)
}

# configure_and_build_pgadvisor BUILD_DIR: the pgadvisor binary alone, for a first
# run (scripts/demo) that needs none of the test binaries.
configure_and_build_pgadvisor() {
  configure "$1"
  log "building pgadvisor in $1"
  cmake --build "$1" --target pgadvisor -j "$(nproc)"
}
