-- Up Migration
-- Messages a consumer has applied, recorded in the same transaction as their effect, so a
-- redelivered message finds its row and is skipped.
CREATE TABLE inbox (
  consumer text NOT NULL,
  message_id uuid NOT NULL,
  topic text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);

-- Down Migration
DROP TABLE inbox;
