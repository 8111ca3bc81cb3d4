-- ankane/dexter test/support/schema.sql, restated with ten times its data (1,000,000 posts
-- instead of 100,000; the same value distribution: blog_id = n % 1000, user_id = n % 10).
-- Left out: the postgres_fdw foreign table `comments` (test_foreign_table: no local data, nothing
-- to index or time). The quoted schema "Bar"."Foo" is in quoted_schema.sql, loaded for test_schema
-- alone: index_advisor 0.2.0 fails on every statement in a database holding a schema whose name
-- needs quotes (it quotes regnamespace::text, already quoted, a second time with %I), which here
-- would have hidden all its other answers.
CREATE EXTENSION IF NOT EXISTS hstore;

CREATE TABLE posts (
  id int,
  blog_id int,
  user_id int,
  json json,
  jsonb jsonb,
  hstore hstore,
  point point,
  indexed int
);
INSERT INTO posts (id, blog_id, user_id, indexed)
SELECT n, n % 1000, n % 10, n FROM generate_series(1, 1000000) n;
CREATE INDEX ON posts (indexed);
CREATE VIEW posts_view AS SELECT id AS view_id FROM posts;
CREATE MATERIALIZED VIEW posts_materialized AS SELECT * FROM posts;

CREATE TABLE blogs (
  id int PRIMARY KEY
);
INSERT INTO blogs (id) SELECT n FROM generate_series(1, 1000) n;

CREATE TABLE events (
  id int,
  blog_id int
) PARTITION BY HASH (blog_id);
CREATE TABLE events_0 PARTITION OF events FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE events_1 PARTITION OF events FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE events_2 PARTITION OF events FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO events (id, blog_id) SELECT n, n FROM generate_series(1, 1000000) n;
