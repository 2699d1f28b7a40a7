-- 0012: price types.  A zone of a show sells at several prices, one a
-- price type: a code such as adult, concession or child (lower case), a
-- name, a price in integer cents of the configured currency, and at most
-- one default type a zone (the type a clerk's sale starts from).  A seat
-- sold with no type sells at its zone's price, as before.
CREATE TABLE price_type (
	show_id		bigint NOT NULL,
	zone		text NOT NULL,
	code		text NOT NULL CHECK (code ~ '^[a-z0-9_-]{1,32}$'),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100
			    AND name !~ '[\x01-\x1f\x7f]'),
	price_cents	bigint NOT NULL
			CHECK (price_cents BETWEEN 0 AND 10000000000),
	is_default	boolean NOT NULL DEFAULT false,
	-- show_id leads the key, as in every per-show table.
	PRIMARY KEY (show_id, zone, code),
	FOREIGN KEY (show_id, zone) REFERENCES price_zone (show_id, zone)
);
-- The primary key serves one type's lookup (show_id = ? AND zone = ? AND
-- code = ?), a zone's types (show_id = ? AND zone = ?), a show's price
-- list (show_id = ? ORDER BY zone, ...) and the foreign key's check when a
-- zone changes.
-- Serves: the default type of a zone (show_id = ? AND zone = ? AND
-- is_default), and keeps it one: at most one default a zone.
CREATE UNIQUE INDEX price_type_one_default ON price_type (show_id, zone)
	WHERE is_default;

-- Clerks read the price list (the box office shows it); only the sl_*
-- functions write it (sql/functions/prices.sql).
GRANT SELECT ON price_type TO seatlock_clerk;
