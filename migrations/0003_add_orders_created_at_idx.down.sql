-- Undoes the migration of the same name: add_orders_created_at_idx
-- CREATE/DROP INDEX CONCURRENTLY cannot run inside a transaction block: run this file with psql -v ON_ERROR_STOP=1 -f <file> in autocommit mode (each statement its own transaction; ON_ERROR_STOP stops the file at a failed duplicates check, before the index is attempted), never inside BEGIN/COMMIT or with psql --single-transaction.

DROP INDEX CONCURRENTLY IF EXISTS public.orders_created_at_idx;
