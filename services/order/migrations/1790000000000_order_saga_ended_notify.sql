-- Up Migration
-- An order whose saga ends (PENDING or STOCK_RESERVED → CONFIRMED or CANCELLED) is announced on
-- the channel `order_saga_ended`, so that admission control on every replica re-reads the load
-- at once and lets the next checkout into the freed place, instead of at its next poll. A
-- trigger, so no path that ends a saga (a reply, the timer's deadline) can forget it; PostgreSQL
-- delivers a transaction's identical notifications once, at commit.
CREATE FUNCTION notify_order_saga_ended() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('order_saga_ended', '');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER orders_notify_saga_ended AFTER UPDATE OF status ON orders
  FOR EACH ROW
  WHEN (OLD.status IN ('PENDING', 'STOCK_RESERVED') AND NEW.status IN ('CONFIRMED', 'CANCELLED'))
  EXECUTE FUNCTION notify_order_saga_ended();

-- Down Migration
DROP TRIGGER orders_notify_saga_ended ON orders;
DROP FUNCTION notify_order_saga_ended();
