-- index_advisor's test/sql/issue_1.sql schema (a json column, which has no btree operator class),
-- with data.
CREATE TABLE public.book (
    id int,
    meta json
);

INSERT INTO public.book (id, meta)
SELECT ((n::bigint * 7919) % 1000000 + 1)::int, json_build_object('title', 'book ' || n, 'pages', 100 + n % 900)
  FROM generate_series(0, 999999) AS n;
