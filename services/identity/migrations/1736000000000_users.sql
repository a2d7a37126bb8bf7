-- Up Migration
-- Emails are stored normalised (trimmed, lower case), so the unique constraint itself decides
-- that "Ann@Example.com" and "ann@example.com" are one account, whatever races two registrations.
CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL,
  role text NOT NULL,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_email_key UNIQUE (email),
  CONSTRAINT users_email_normalised CHECK (email = lower(btrim(email))),
  CONSTRAINT users_role_check CHECK (role IN ('customer', 'admin'))
);

-- Login attempts per email in a fixed window that starts with the first attempt after the last
-- success. Keyed by email, not by user, so an unknown email is throttled exactly like a known one
-- and the answer reveals nothing. A success deletes the row.
CREATE TABLE login_attempts (
  email text PRIMARY KEY,
  attempts integer NOT NULL,
  window_started_at timestamptz NOT NULL
);

-- Down Migration
DROP TABLE login_attempts;
DROP TABLE users;
