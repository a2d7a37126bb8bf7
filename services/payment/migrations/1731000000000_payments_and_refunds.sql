-- Up Migration
-- One row per order, whatever the outcome: the unique order_id is what makes authorization
-- idempotent per order (a re-sent AuthorizePayment finds the row and repeats its answer instead of
-- charging again), also when two copies race, because the second insert conflicts.
--   AUTHORIZED → the processor approved (authorization_code)
--   DECLINED   → refused (decline_reason), or the processor kept failing (PAYMENT_UNAVAILABLE)
CREATE TABLE payments (
  id uuid PRIMARY KEY,
  order_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  amount_cents bigint NOT NULL,
  currency char(3) NOT NULL,
  status text NOT NULL,
  decline_reason text,
  authorization_code text,
  -- Calls made to the processor, retries included.
  attempts integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT payments_one_per_order UNIQUE (order_id),
  CONSTRAINT payment_amount_not_negative CHECK (amount_cents >= 0),
  CONSTRAINT payment_status_known CHECK (status IN ('AUTHORIZED', 'DECLINED')),
  CONSTRAINT payment_decline_described
    CHECK ((status = 'DECLINED') = (decline_reason IS NOT NULL)),
  CONSTRAINT payment_decline_reason_known
    CHECK (decline_reason IN ('PAYMENT_DECLINED', 'INSUFFICIENT_FUNDS', 'PAYMENT_UNAVAILABLE')),
  CONSTRAINT payment_authorization_described
    CHECK ((status = 'AUTHORIZED') = (authorization_code IS NOT NULL)),
  CONSTRAINT payment_attempts_positive CHECK (attempts >= 1)
);

-- At most one refund per payment: a re-sent RefundPayment finds it and repeats its answer. Its
-- amount is checked against the payment's (≤) in the refunding transaction, which locks the payment.
CREATE TABLE refunds (
  id uuid PRIMARY KEY,
  payment_id uuid NOT NULL REFERENCES payments (id),
  amount_cents bigint NOT NULL,
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT refunds_one_per_payment UNIQUE (payment_id),
  CONSTRAINT refund_amount_not_negative CHECK (amount_cents >= 0)
);

-- Down Migration
DROP TABLE refunds;
DROP TABLE payments;
