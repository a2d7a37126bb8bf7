-- Up Migration
-- The open-units cap sums a customer's open orders at every placement. orders_by_customer_idx
-- would walk all of the customer's orders ever placed; this one holds only the open ones.
CREATE INDEX orders_open_by_customer_idx ON orders (customer_id)
  WHERE status IN ('PENDING', 'STOCK_RESERVED');

-- Down Migration
DROP INDEX orders_open_by_customer_idx;
