-- Up Migration
-- Every committed change of an order or its saga is announced on the channel `order_changed`
-- with the order's id, for the live order pages (GET /api/orders/:id/events) of every replica.
-- A trigger, so no write path can forget it; PostgreSQL delivers a transaction's identical
-- notifications once, at commit.
CREATE FUNCTION notify_order_changed() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('order_changed', NEW.order_id::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION notify_order_row_changed() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('order_changed', NEW.id::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER sagas_notify_change AFTER INSERT OR UPDATE ON sagas
  FOR EACH ROW EXECUTE FUNCTION notify_order_changed();
CREATE TRIGGER saga_actions_notify_change AFTER INSERT OR UPDATE ON saga_actions
  FOR EACH ROW EXECUTE FUNCTION notify_order_changed();
CREATE TRIGGER orders_notify_change AFTER INSERT OR UPDATE ON orders
  FOR EACH ROW EXECUTE FUNCTION notify_order_row_changed();

-- Down Migration
DROP TRIGGER orders_notify_change ON orders;
DROP TRIGGER saga_actions_notify_change ON saga_actions;
DROP TRIGGER sagas_notify_change ON sagas;
DROP FUNCTION notify_order_row_changed();
DROP FUNCTION notify_order_changed();
