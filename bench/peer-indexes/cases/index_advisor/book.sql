-- index_advisor's test/sql/integration.sql and semicolon_in_comment_query.sql schema, with data.
CREATE TABLE public.book (
    id int,
    name text
);

-- 1,000,000 books, ids 1..1,000,000 in a scattered physical order (so a lookup by id reads one
-- page, not a run of them, once indexed).
INSERT INTO public.book (id, name)
SELECT ((n::bigint * 7919) % 1000000 + 1)::int, 'book ' || n
  FROM generate_series(0, 999999) AS n;
