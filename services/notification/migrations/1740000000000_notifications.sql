-- Up Migration
-- The service's own directory of users, built from UserRegistered: order events carry only the
-- customer id, and no service reads another's tables.
CREATE TABLE users (
  user_id uuid PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now()
);

-- One row per message to send. The consumer inserts it PENDING in its inbox transaction; the
-- sender delivers it and marks it SENT or FAILED. `details` is the source event's payload: the
-- subject and body are rendered from it at send time, once the recipient is known.
CREATE TABLE notifications (
  id uuid PRIMARY KEY,
  event_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('WELCOME', 'ORDER_CONFIRMED', 'ORDER_CANCELLED')),
  user_id uuid NOT NULL,
  order_id uuid,
  details jsonb NOT NULL,
  subject text,
  body text,
  status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  -- Never two notifications of one kind for one event, whatever redelivers it.
  CONSTRAINT notifications_event_kind_key UNIQUE (event_id, kind)
);

CREATE INDEX notifications_user_created_idx ON notifications (user_id, created_at DESC, id DESC);
-- The sender's only read path; partial, so it stays as small as the backlog.
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status = 'PENDING';

-- Down Migration
DROP TABLE notifications;
DROP TABLE users;
