-- 0011: the bookkeeping of sql/functions/.  `seatlock db migrate` applies
-- the function files after the migrations, each again whenever its text
-- changes (like Flyway's repeatable migrations): this table records the
-- checksum of each file as it was last applied.  (schema_migration, which
-- must exist before any migration, is made by core/sl_migrate.c itself.)
CREATE TABLE schema_function (
	file		text PRIMARY KEY,
	checksum	text NOT NULL,
	applied_at	timestamptz NOT NULL DEFAULT now()
);
