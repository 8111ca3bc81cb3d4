CREATE INDEX IF NOT EXISTS users_b_idx ON users (b);
