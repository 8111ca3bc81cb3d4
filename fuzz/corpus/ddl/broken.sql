CREATE TABLE good_one (id int PRIMARY KEY);

CREATE TABEL typo (id int);
CREATE TABLE good_two (
    id int PRIMARY KEY,
    one_id int REFERENCES good_one
);
-- a comment before the statement: the error points at the statement, not here
CREATE INDEX ON missing_table (x);
SELECT 1 FROM;
CREATE INDEX good_two_one_idx ON good_two (one_id);
