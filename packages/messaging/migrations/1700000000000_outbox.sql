-- Up Migration
-- Events waiting to be published, written in the same transaction as the state change they
-- describe. `seq` gives the relay a total order to publish in (per key it is the commit order:
-- writers of one aggregate serialise on its row before they enqueue).
CREATE TABLE outbox (
  seq bigserial PRIMARY KEY,
  id uuid NOT NULL UNIQUE,
  topic text NOT NULL,
  key text,
  envelope jsonb NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);

-- The relay's only read path: the oldest unpublished rows. Partial, so it stays as small as the
-- backlog however many published rows accumulate.
CREATE INDEX outbox_unpublished_idx ON outbox (seq) WHERE published_at IS NULL;

-- Down Migration
DROP TABLE outbox;
