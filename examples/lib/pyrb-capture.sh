# Shared by the run scripts of examples/django-app, sqlalchemy-app and rails-app:
# the capture steps they do alike inside `tests/pg/throwaway-pg run`, where
# PGHOST, PGPORT, PGUSER and PGADVISOR_PG_* are exported. Sourced, not run.

pg_psql() { "$PGADVISOR_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

# capture_prepare DB: plans of the app's statements over 5 ms, with actual
# times, as JSON (auto_explain, as examples/shop does); then statistics.
capture_prepare() {
  pg_psql -d postgres -c "ALTER DATABASE $1 SET auto_explain.log_min_duration = '5ms'" \
                      -c "ALTER DATABASE $1 SET auto_explain.log_analyze = on" \
                      -c "ALTER DATABASE $1 SET auto_explain.log_format = json"
  pg_psql -d "$1" -c "VACUUM ANALYZE"
}

# capture_offset: the log's size now; the capture starts there.
capture_offset() { stat -c %s "$PGADVISOR_PG_LOG"; }

# capture_cut OUT OFFSET MARKER: OUT/postgresql.log = the log from OFFSET to the
# line before the first that contains MARKER (the app's last statement).
capture_cut() {
  local out=$1 offset=$2 marker=$3 end
  # The logging collector writes asynchronously: wait for the marker.
  for _ in $(seq 1 100); do
    tail -c +"$((offset + 1))" "$PGADVISOR_PG_LOG" | grep -q "$marker" && break
    sleep 0.1
  done
  tail -c +"$((offset + 1))" "$PGADVISOR_PG_LOG" > "$out/tail.log"
  end=$(grep -n "$marker" "$out/tail.log" | head -1 | cut -d: -f1)
  [ -n "$end" ] || { echo "capture: the end marker $marker is not in the log" >&2; return 1; }
  head -n "$((end - 1))" "$out/tail.log" > "$out/postgresql.log"
  rm "$out/tail.log"
}

# capture_schema OUT DB: OUT/schema.sql (pg_dump --schema-only) and OUT/pg_version.txt.
capture_schema() {
  "$PGADVISOR_PG_BIN/pg_dump" --schema-only --no-owner --no-privileges -d "$2" > "$1/schema.sql"
  "$PGADVISOR_PG_BIN/postgres" --version > "$1/pg_version.txt"
}
