-- Up Migration
-- The order as the customer sees it. `status` is the public one of API.md; the saga's finer steps
-- live in `sagas.state`. A cancelled order always says why, and only a cancelled one does.
CREATE TABLE orders (
  id uuid PRIMARY KEY,
  customer_id uuid NOT NULL,
  status text NOT NULL,
  failure_reason text,
  total_cents bigint NOT NULL,
  currency char(3) NOT NULL,
  shipping_address jsonb NOT NULL,
  -- Kept to re-send AuthorizePayment with the same content after a missed deadline.
  payment_token text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT order_status_known
    CHECK (status IN ('PENDING', 'STOCK_RESERVED', 'CONFIRMED', 'CANCELLED')),
  CONSTRAINT order_cancellation_explained
    CHECK ((status = 'CANCELLED') = (failure_reason IS NOT NULL)),
  CONSTRAINT order_total_not_negative CHECK (total_cents >= 0)
);

-- "My orders, newest first", one customer at a time.
CREATE INDEX orders_by_customer_idx ON orders (customer_id, created_at DESC, id DESC);

-- Priced from the catalog at placement time, never from the client or the cart's snapshot.
CREATE TABLE order_items (
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  line_no integer NOT NULL,
  product_id uuid NOT NULL,
  sku text NOT NULL,
  name text NOT NULL,
  unit_price_cents bigint NOT NULL,
  quantity integer NOT NULL,
  PRIMARY KEY (order_id, line_no),
  CONSTRAINT order_item_quantity_positive CHECK (quantity >= 1),
  CONSTRAINT order_item_price_not_negative CHECK (unit_price_cents >= 0)
);

CREATE INDEX order_items_by_product_idx ON order_items (product_id);

CREATE TABLE order_history (
  seq bigserial PRIMARY KEY,
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  status text NOT NULL,
  reason text,
  at timestamptz NOT NULL
);

CREATE INDEX order_history_by_order_idx ON order_history (order_id, seq);

-- The unique key is what makes placement idempotent also when two requests race: the second
-- insert waits for the first transaction and then finds its row (ON CONFLICT DO NOTHING) instead
-- of creating a second order. `request_hash` tells a replay from a different body under one key.
CREATE TABLE idempotency_keys (
  customer_id uuid NOT NULL,
  idempotency_key text NOT NULL,
  request_hash text NOT NULL,
  order_id uuid NOT NULL,
  response_status integer NOT NULL,
  response_body jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (customer_id, idempotency_key)
);

CREATE INDEX idempotency_keys_by_age_idx ON idempotency_keys (created_at);

-- One saga per order. `state` is the orchestrator's state (see src/domain/saga-machine.ts);
-- `deadline` bounds the forward steps; `next_due_at` is when the timer must look at it again
-- (the earliest step deadline or the saga deadline), NULL once nothing is awaited.
CREATE TABLE sagas (
  order_id uuid PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
  state text NOT NULL,
  failure_reason text,
  started_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  deadline timestamptz,
  next_due_at timestamptz
);

-- The timer's only read path: sagas due now. Partial, so finished sagas never weigh on it.
CREATE INDEX sagas_due_idx ON sagas (next_due_at) WHERE next_due_at IS NOT NULL;

-- Each command the saga sent (a forward step or a compensation), with what it awaits. `payload`
-- is kept so a re-send carries the same content under a new message id.
CREATE TABLE saga_actions (
  order_id uuid NOT NULL REFERENCES sagas (order_id) ON DELETE CASCADE,
  name text NOT NULL,
  command text NOT NULL,
  status text NOT NULL,
  attempts integer NOT NULL,
  last_sent_at timestamptz,
  last_message_id uuid,
  deadline timestamptz,
  payload jsonb NOT NULL,
  reply jsonb,
  PRIMARY KEY (order_id, name),
  CONSTRAINT saga_action_name_known CHECK (
    name IN ('RESERVE_STOCK', 'AUTHORIZE_PAYMENT', 'COMMIT_STOCK', 'RELEASE_STOCK', 'REFUND_PAYMENT')
  ),
  CONSTRAINT saga_action_attempts_not_negative CHECK (attempts >= 0)
);

-- Down Migration
DROP TABLE saga_actions;
DROP TABLE sagas;
DROP TABLE idempotency_keys;
DROP TABLE order_history;
DROP TABLE order_items;
DROP TABLE orders;
