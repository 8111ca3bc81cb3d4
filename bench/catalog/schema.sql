-- 10,000 tables in ten schemas; each table has a primary key, a composite index and a
-- partial expression index: 30,000 indexes. COMMIT every 100 tables, because one
-- transaction would run out of lock slots (max_locks_per_transaction).
DO $$
BEGIN
  FOR s IN 0..9 LOOP
    EXECUTE format('CREATE SCHEMA app%s', s);
    FOR t IN 0..999 LOOP
      EXECUTE format('CREATE TABLE app%s.t%s (id bigint PRIMARY KEY, account_id bigint NOT NULL, status text,
                      created_at timestamptz NOT NULL DEFAULT now(), amount numeric(12,2), note text)', s, t);
      EXECUTE format('CREATE INDEX ON app%s.t%s (account_id, created_at DESC)', s, t);
      EXECUTE format('CREATE INDEX ON app%s.t%s (lower(status)) WHERE note IS NOT NULL', s, t);
      IF t % 100 = 99 THEN COMMIT; END IF;
    END LOOP;
  END LOOP;
END
$$;
ANALYZE;
