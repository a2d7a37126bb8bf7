-- Up Migration
-- Admission control counts the orders that ended in the last few seconds (the measured
-- throughput) several times a second; this index holds only ended orders, by when they ended.
CREATE INDEX orders_ended_at_idx ON orders (updated_at)
  WHERE status IN ('CONFIRMED', 'CANCELLED');

-- Down Migration
DROP INDEX orders_ended_at_idx;
