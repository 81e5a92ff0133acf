-- Loaded by Support/PostgreSqlServer.cs into database `shop`, as the bootstrap superuser, with
-- ON_ERROR_STOP. Every object kind pg_dump must carry and every kind of value that breaks a naive dump
-- or restore. Deterministic: no random(), no now(); the same bytes on every run.
-- The role app_owner (NOLOGIN) exists already: the cluster setup creates it.

SET client_encoding = 'UTF8';

-- Several schemas, one with a name that needs quoting; app_owner owns two of them.
CREATE SCHEMA shop AUTHORIZATION app_owner;
CREATE SCHEMA audit AUTHORIZATION app_owner;
CREATE SCHEMA "Mixed Case";
GRANT USAGE, CREATE ON SCHEMA "Mixed Case" TO app_owner;

-- Everything below is created by app_owner, so it owns it (a restore with --no-owner must cope).
SET ROLE app_owner;

CREATE TYPE shop.order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled');
-- A label added later sorts before an existing one: the enum's order is not its OIDs'.
ALTER TYPE shop.order_status ADD VALUE 'on hold' BEFORE 'shipped';
CREATE TYPE shop.address AS (street text, city text, zip varchar(10));
CREATE DOMAIN shop.money_amount AS numeric(12, 2) NOT NULL CHECK (VALUE >= 0);
CREATE DOMAIN shop.email AS text CHECK (VALUE ~ '^[^@ ]+@[^@ ]+$');

CREATE SEQUENCE shop.invoice_no START 1000 INCREMENT 7;

CREATE TABLE shop.customers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  email shop.email UNIQUE,
  address shop.address,
  profile jsonb,
  created timestamptz NOT NULL
);
COMMENT ON TABLE shop.customers IS 'Kunden — customers 👥';

CREATE TABLE shop.orders (
  id serial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES shop.customers (id),
  status shop.order_status NOT NULL DEFAULT 'new',
  total shop.money_amount,
  invoice integer NOT NULL DEFAULT nextval('shop.invoice_no'),
  ordered_on date NOT NULL,
  tags text[]
);
CREATE INDEX orders_by_day ON shop.orders (ordered_on DESC, status);

-- Binary values: row 1 holds every byte value 0..255 once, row 2 the same reversed; an empty value and NULL.
CREATE TABLE shop.blobs (id integer PRIMARY KEY, data bytea);
INSERT INTO shop.blobs VALUES
  (1, (SELECT string_agg(set_byte('\x00'::bytea, 0, b), '' ORDER BY b) FROM generate_series(0, 255) AS b)),
  (2, (SELECT string_agg(set_byte('\x00'::bytea, 0, b), '' ORDER BY b DESC) FROM generate_series(0, 255) AS b)),
  (3, ''::bytea),
  (4, NULL);

-- Text that COPY, quoting and encodings get wrong: the COPY end marker on a line of its own,
-- backslashes, tabs, newlines, quotes, non-ASCII, emoji and a 4-byte character outside the BMP.
CREATE TABLE shop.texts (id integer PRIMARY KEY, body text);
INSERT INTO shop.texts VALUES
  (1, 'Zoë 🚀 ñ 中文 𝄞 Ελληνικά العربية'),
  (2, E'line one\n\\.\nline three'),
  (3, E'tab\there; back\\slash; quote '' and "double"; -- not a comment /* nor this */'),
  (4, E'\r\n\x01\x7f trailing space '),
  (5, ''),
  (6, NULL);

INSERT INTO shop.customers (name, email, address, profile, created) VALUES
  ('Zoë Ämtler 😀', 'zoe@example.org', ROW('Hauptstraße 1', 'Zürich', '8001'),
   '{"vip": true, "langs": ["de", "fr"], "note": "snowman ☃", "nested": {"n": 1.50}}', '2024-01-02 03:04:05+00'),
  ('Null Person', NULL, NULL, NULL, '2024-06-30 12:00:00+00'),
  ('quote''s "double" back\slash', 'q@example.org', ROW(NULL, 'O''Brien', NULL),
   '[1, "two", null, {"three": [3]}]', '2024-12-31 23:59:59.999999+00');

-- A partitioned table: two range partitions and a default one, filled by a trigger.
CREATE TABLE audit.events (
  id bigint NOT NULL,
  at date NOT NULL,
  kind text NOT NULL,
  payload jsonb
) PARTITION BY RANGE (at);
CREATE TABLE audit.events_2024 PARTITION OF audit.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE audit.events_2025 PARTITION OF audit.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE audit.events_other PARTITION OF audit.events DEFAULT;
CREATE SEQUENCE audit.event_id;

-- Functions (SQL and PL/pgSQL), a procedure and a trigger.
CREATE FUNCTION shop.with_tax(amount numeric, rate numeric DEFAULT 0.21) RETURNS numeric
  LANGUAGE sql IMMUTABLE AS $$ SELECT round(amount * (1 + rate), 2) $$;

CREATE FUNCTION audit.log_order() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  INSERT INTO audit.events (id, at, kind, payload)
  VALUES (nextval('audit.event_id'), NEW.ordered_on, 'order ' || TG_OP,
          jsonb_build_object('order', NEW.id, 'status', NEW.status::text));
  RETURN NEW;
END
$body$;

CREATE TRIGGER orders_audit AFTER INSERT OR UPDATE ON shop.orders
  FOR EACH ROW EXECUTE FUNCTION audit.log_order();

CREATE PROCEDURE shop.cancel_order(order_id integer) LANGUAGE plpgsql AS $$
BEGIN
  UPDATE shop.orders SET status = 'cancelled' WHERE id = order_id;
END
$$;

INSERT INTO shop.orders (customer_id, status, total, ordered_on, tags) VALUES
  (1, 'paid', 19.99, '2024-03-01', ARRAY['gift', 'express']),
  (1, 'shipped', 5.00, '2025-02-14', NULL),
  (2, 'new', 0, '2026-07-01', ARRAY[]::text[]),
  (3, 'on hold', 1234567.89, '2024-12-31', ARRAY['a,b', 'c"d', NULL]);
CALL shop.cancel_order(3);

-- Views: a plain one and a materialized one (restored with its rows by REFRESH).
CREATE VIEW shop.paid_orders AS
  SELECT o.id, c.name, shop.with_tax(o.total) AS total_with_tax
  FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id
  WHERE o.status IN ('paid', 'shipped');
CREATE MATERIALIZED VIEW shop.customer_totals AS
  SELECT c.id, c.name, count(o.id) AS orders, coalesce(sum(o.total), 0) AS total
  FROM shop.customers c LEFT JOIN shop.orders o ON o.customer_id = c.id
  GROUP BY c.id, c.name;

-- 100,000 rows, so that a dump is more than a few pipe buffers.
CREATE TABLE "Mixed Case"."Bulk Rows" (
  id integer PRIMARY KEY,
  n bigint NOT NULL,
  label text NOT NULL,
  amount numeric(14, 4),
  flag boolean,
  day date
);
INSERT INTO "Mixed Case"."Bulk Rows"
  SELECT i, i::bigint * 7919 % 1000003, md5(i::text) || ' ' || repeat('ø', i % 7), (i % 10007) / 7.0,
         CASE i % 3 WHEN 0 THEN true WHEN 1 THEN false END, date '2020-01-01' + (i % 2000)
  FROM generate_series(1, 100000) AS i;

RESET ROLE;

-- A table the superuser owns, with a grant to app_owner: privileges are part of the dump.
CREATE TABLE public.settings (key text PRIMARY KEY, value jsonb NOT NULL);
INSERT INTO public.settings VALUES ('theme', '"dark"'), ('limits', '{"max": 10, "min": -1.5e-3}');
GRANT SELECT ON public.settings TO app_owner;
