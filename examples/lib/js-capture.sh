# Shared by the JavaScript ORM examples' run scripts (examples/prisma-blog/run,
# examples/sequelize-clinic/run); sourced, not run. The caller sets
#   APP          the example's name (its folder under examples/, its application_name)
#   DB           the database to create
#   SCHEMA_SQL   the SQL that creates the tables (the ORM's own migration file),
#                unless app_schema is defined
#   DATA_SQL     the data, generated on the server with logging off
#   DESCRIBE     one line for SOURCE.md: how the schema and data were made
# and defines
#   app_prepare  run in the example's folder after `npm ci` (e.g. prisma generate)
#   app_schema   (optional) create the tables against $DATABASE_URL (e.g. the ORM's sync)
#   app_drive    run the application against $DATABASE_URL; prints a summary
#                and ends with the statement SELECT '<APP>-done' (the end marker)
# then calls js_capture "$@". Output, into OUT_DIR (default captured/):
#   postgresql.log  the server's stderr log, the application's part only
#   schema.sql      pg_dump --schema-only of the database
#   pg_version.txt  the server's version
#   SOURCE.md       how it was produced
# With PGADVISOR_LIVE=path/to/pgadvisor also live-report.txt/.json: pgadvisor
# analyze --db against the database right after the run (not committed).
set -euo pipefail

js_capture() {
  local here root
  here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
  root=$(cd "$here/../.." && pwd)
  if [ "${1:-}" = --inside ]; then
    js_capture_inside "$here" "$2"
    return
  fi
  local out=${1:-$here/captured}
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
  rm -f "$out/postgresql.log" "$out/schema.sql" "$out/pg_version.txt" "$out/SOURCE.md"
  local start; start=$(date +%s)
  # Dependencies exactly as package-lock.json pins them; no prompts (CI runs as root, no stdin).
  echo "run: npm ci in $here"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error </dev/null && app_prepare)
  "$root/tests/pg/throwaway-pg" run -- "$here/run" --inside "$out"
  local summary; summary=$(cat "$out/app.txt"); rm -f "$out/app.txt"
  cat > "$out/SOURCE.md" <<MD
# Source of this capture

Produced by \`examples/$APP/run\` on $(date -u +%Y-%m-%d) ($(( $(date +%s) - start )) s wall clock, $(nproc) cores,
Node $(node --version)): a throwaway cluster from \`tests/pg/throwaway-pg\` ($(cat "$out/pg_version.txt")),
database \`$DB\`: $DESCRIBE; \`VACUUM ANALYZE\`; then the application (\`src/\`, dependencies as
\`package-lock.json\` pins them) against it with \`log_min_duration_statement = 0\`,
\`log_line_prefix = '%m [%p] %c %l %v %x user=%u,db=%d,app=%a,client=%h '\` and, for database $DB,
\`auto_explain.log_min_duration = '5ms'\`, \`log_analyze = on\`, \`log_format = json\`.

- \`postgresql.log\`: the server's stderr log, cut to the application's statements (from before its
  first statement to before its end marker \`SELECT '$APP-done'\`).
- \`schema.sql\`: \`pg_dump --schema-only --no-owner --no-privileges\` of the database after the run.
- \`pg_version.txt\`: \`postgres --version\`.

The application said:

\`\`\`
$summary
\`\`\`

Analyse it offline: \`pgadvisor analyze examples/$APP/captured/postgresql.log --schema examples/$APP/captured/schema.sql\`.
MD
  ls -la "$out"
}

# Run by throwaway-pg with PGHOST, PGPORT, PGUSER, PGADVISOR_PG_* exported.
js_capture_inside() {
  local here=$1 out=$2
  psql() { "$PGADVISOR_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
  # The setup is not the application's traffic: not logged.
  export PGOPTIONS="-c log_min_duration_statement=-1"
  psql -d postgres -c "CREATE DATABASE $DB"
  export DATABASE_URL="postgresql://$PGUSER@127.0.0.1:$PGPORT/$DB?application_name=$APP"
  if declare -F app_schema >/dev/null; then
    (cd "$here" && app_schema)
  else
    psql -d "$DB" -f "$SCHEMA_SQL"
  fi
  echo "run: loading data ($DATA_SQL)"
  psql -d "$DB" -f "$DATA_SQL" >/dev/null
  psql -d "$DB" -c "VACUUM ANALYZE"
  # auto_explain for the application's sessions: plans of statements over 5 ms, with actual times, as JSON.
  psql -d postgres -c "ALTER DATABASE $DB SET auto_explain.log_min_duration = '5ms'" \
                   -c "ALTER DATABASE $DB SET auto_explain.log_analyze = on" \
                   -c "ALTER DATABASE $DB SET auto_explain.log_format = json"
  unset PGOPTIONS
  local log=$PGADVISOR_PG_LOG offset end
  offset=$(stat -c %s "$log")
  echo "run: the application (examples/$APP)"
  (cd "$here" && app_drive) | tee "$out/app.txt"
  # The logging collector writes asynchronously: wait for the application's last statement.
  for _ in $(seq 1 100); do
    tail -c +"$((offset + 1))" "$log" | grep -q "$APP-done" && break
    sleep 0.1
  done
  tail -c +"$((offset + 1))" "$log" > "$out/tail.log"
  end=$(grep -n "$APP-done" "$out/tail.log" | head -1 | cut -d: -f1)
  [ -n "$end" ] || { echo "run: the application's end marker is not in the log" >&2; exit 1; }
  head -n "$((end - 1))" "$out/tail.log" > "$out/postgresql.log"
  rm "$out/tail.log"
  "$PGADVISOR_PG_BIN/pg_dump" --schema-only --no-owner --no-privileges -d "$DB" > "$out/schema.sql"
  "$PGADVISOR_PG_BIN/postgres" --version > "$out/pg_version.txt"
  # PGADVISOR_LIVE=path/to/pgadvisor: also analyse live (--db) while the database is up;
  # live-report.txt/.json are not part of the committed capture.
  if [ -n "${PGADVISOR_LIVE:-}" ]; then
    local rc=0
    "$PGADVISOR_LIVE" analyze "$out/postgresql.log" --db "host=127.0.0.1 port=$PGPORT user=$PGUSER dbname=$DB" \
      --no-color --report-json "$out/live-report.json" > "$out/live-report.txt" || rc=$?
    [ "$rc" -le 1 ] || { echo "run: pgadvisor --db exited $rc" >&2; cat "$out/live-report.txt" >&2; exit 1; }
  fi
}
