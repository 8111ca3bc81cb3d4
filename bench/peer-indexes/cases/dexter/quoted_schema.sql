-- ankane/dexter test/support/schema.sql's quoted schema and table (test_schema), with ten times
-- its rows. A file of its own: index_advisor 0.2.0 fails in any database holding a schema whose
-- name needs quotes (schema.sql says why), so only this case shows it.
CREATE SCHEMA "Bar";
CREATE TABLE "Bar"."Foo"("Id" int);
INSERT INTO "Bar"."Foo" SELECT * FROM generate_series(1, 1000000);
