-- Up Migration
-- One row per product. The invariant of API.md (0 ≤ reserved ≤ on_hand) is the database's to
-- enforce, not only the code's: a bug that would oversell aborts its transaction instead.
CREATE TABLE stock_items (
  product_id uuid PRIMARY KEY,
  sku text NOT NULL,
  on_hand integer NOT NULL,
  reserved integer NOT NULL DEFAULT 0,
  -- Bumped with every change of the levels, in the same transaction as its StockLevelChanged, so
  -- a read model can drop a level that arrives after a newer one.
  sequence integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT stock_on_hand_not_negative CHECK (on_hand >= 0),
  CONSTRAINT stock_reserved_not_negative CHECK (reserved >= 0),
  CONSTRAINT stock_reserved_within_on_hand CHECK (reserved <= on_hand),
  CONSTRAINT stock_sequence_positive CHECK (sequence >= 1)
);

-- One row per order the saga has asked about: it remembers the outcome, so a re-sent command
-- (a new message id for the same order) gets the same answer and changes nothing.
--   RESERVED  → units held until commit, release or expires_at
--   FAILED    → refused (failure_reason, shortages); nothing held
--   COMMITTED → units left the warehouse (on_hand and reserved both went down)
--   RELEASED  → units given back (release_reason, EXPIRED when the sweeper did it); also the
--               record of a release that found nothing to release
CREATE TABLE reservations (
  order_id uuid PRIMARY KEY,
  status text NOT NULL,
  failure_reason text,
  shortages jsonb,
  release_reason text,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT reservation_status_known
    CHECK (status IN ('RESERVED', 'FAILED', 'COMMITTED', 'RELEASED')),
  CONSTRAINT reservation_failure_described
    CHECK ((status = 'FAILED') = (failure_reason IS NOT NULL AND shortages IS NOT NULL)),
  CONSTRAINT reservation_release_described
    CHECK ((status = 'RELEASED') = (release_reason IS NOT NULL))
);

-- The sweeper's only read path: held reservations by deadline.
CREATE INDEX reservations_expiry_idx ON reservations (expires_at) WHERE status = 'RESERVED';

-- What an order holds (or asked for, when it failed), one row per product.
CREATE TABLE reservation_lines (
  order_id uuid NOT NULL REFERENCES reservations (order_id),
  product_id uuid NOT NULL,
  quantity integer NOT NULL,
  PRIMARY KEY (order_id, product_id),
  CONSTRAINT reservation_line_quantity_positive CHECK (quantity > 0)
);

-- Down Migration
DROP TABLE reservation_lines;
DROP TABLE reservations;
DROP TABLE stock_items;
