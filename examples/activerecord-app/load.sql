-- Data for the library example, loaded after db/schema.rb with statement
-- logging off. Deterministic: fixed arithmetic plus random() after setseed.
SET log_min_duration_statement = -1;
SELECT setseed(0.42);

INSERT INTO genres (id, name)
SELECT i, (ARRAY['fiction', 'history', 'science', 'poetry', 'travel', 'cooking', 'art', 'children',
                 'crime', 'biography'])[i]
FROM generate_series(1, 10) i;

INSERT INTO authors (id, name) SELECT i, 'Author ' || i FROM generate_series(1, 50000) i;

INSERT INTO publishers (id, name) SELECT i, 'publisher-' || i FROM generate_series(1, 5000) i;

-- 300,000 books, authors drawn at random (~6 books each, varying).
INSERT INTO books (id, isbn, title, author_id, genre_id, publisher_id)
SELECT i, '978-' || lpad(i::text, 9, '0'), 'Title ' || i, 1 + floor(random() * 50000)::int, 1 + i % 10,
       1 + i % 5000
FROM generate_series(1, 300000) i;

-- Every third address is stored with capitals: the app looks them up with lower().
INSERT INTO members (id, email, name, created_at, updated_at)
SELECT i, CASE WHEN i % 3 = 0 THEN 'Member' || i || '@Example.net' ELSE 'member' || i || '@example.net' END,
       'Member ' || i, timestamp '2024-01-01' + i * interval '3 minutes', timestamp '2024-01-01' + i * interval '3 minutes'
FROM generate_series(1, 200000) i;

-- 700,000 loans: 30 branches x 365 due dates (~64 each); status returned 93 %, active 6.5 %, lost 0.5 %.
INSERT INTO loans (id, book_id, member_id, branch, due_on, status, created_at, updated_at)
SELECT i, 1 + floor(random() * 300000)::int, 1 + floor(random() * 200000)::int,
       'branch-' || (i % 30), date '2025-01-01' + (i / 30) % 365,
       CASE WHEN r < 0.005 THEN 'lost' WHEN r < 0.07 THEN 'active' ELSE 'returned' END,
       timestamp '2025-01-01' + i * interval '40 seconds', timestamp '2025-01-01' + i * interval '40 seconds'
FROM (SELECT i, random() AS r FROM generate_series(1, 700000) i) s;

INSERT INTO reviews (id, book_id, member_id, stars, created_at, updated_at)
SELECT i, 1 + floor(random() * 300000)::int, 1 + floor(random() * 200000)::int, 1 + i % 5,
       timestamp '2025-01-01' + i * interval '1 minute', timestamp '2025-01-01' + i * interval '1 minute'
FROM generate_series(1, 400000) i;

INSERT INTO holds (id, member_id, book_id, created_at, updated_at)
SELECT i, i * 10, 1 + floor(random() * 300000)::int, now(), now() FROM generate_series(1, 20000) i;

-- 60 past days of checkout counters; today's rows come from the app.
INSERT INTO daily_checkouts (id, day, branch, checkouts, created_at, updated_at)
SELECT row_number() OVER (), current_date - d, 'branch-' || b, 1 + (d * b) % 40, now(), now()
FROM generate_series(1, 60) d, generate_series(0, 29) b;

INSERT INTO book_ratings (id, member_id, book_id, stars, created_at, updated_at)
SELECT i, i * 4, 1 + i % 300000, 1 + i % 5, now(), now() FROM generate_series(1, 50000) i;

-- The bigserial columns go on after the explicit ids.
SELECT setval('genres_id_seq', (SELECT max(id) FROM genres));
SELECT setval('authors_id_seq', (SELECT max(id) FROM authors));
SELECT setval('publishers_id_seq', (SELECT max(id) FROM publishers));
SELECT setval('books_id_seq', (SELECT max(id) FROM books));
SELECT setval('members_id_seq', (SELECT max(id) FROM members));
SELECT setval('loans_id_seq', (SELECT max(id) FROM loans));
SELECT setval('reviews_id_seq', (SELECT max(id) FROM reviews));
SELECT setval('holds_id_seq', (SELECT max(id) FROM holds));
SELECT setval('daily_checkouts_id_seq', (SELECT max(id) FROM daily_checkouts));
SELECT setval('book_ratings_id_seq', (SELECT max(id) FROM book_ratings));
