-- index_advisor's test/sql/multi_index.sql schema (the four-table join), with data.
CREATE TABLE author (
    id serial PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE publisher (
    id serial PRIMARY KEY,
    name text NOT NULL,
    corporate_address text
);

CREATE TABLE book (
    id serial PRIMARY KEY,
    author_id int NOT NULL REFERENCES author (id),
    publisher_id int NOT NULL REFERENCES publisher (id),
    title text
);

CREATE TABLE review (
    id serial PRIMARY KEY,
    book_id int REFERENCES book (id),
    body text NOT NULL
);

-- 10,000 authors, 1,000 publishers, 500,000 books (50 per author; an author's books all share one
-- publisher: author k publishes with publisher (k - 1) % 1000 + 1), 1,000,000 reviews (2 per book).
INSERT INTO author (name) SELECT 'author ' || n FROM generate_series(1, 10000) AS n;
INSERT INTO publisher (name, corporate_address)
SELECT 'publisher ' || n, n || ' Main Street' FROM generate_series(1, 1000) AS n;
INSERT INTO book (author_id, publisher_id, title)
SELECT n % 10000 + 1, n % 1000 + 1, 'title ' || n FROM generate_series(0, 499999) AS n;
INSERT INTO review (book_id, body)
SELECT n % 500000 + 1, 'review ' || n FROM generate_series(0, 999999) AS n;
