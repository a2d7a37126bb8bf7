import type { OrderStatus, ReconciledProduct } from '@shop/contracts';
import type { Tx } from '@shop/postgres';
import type { SagaState } from '../domain/saga-machine';

export async function countOrdersByStatus(
  tx: Tx,
): Promise<Array<{ status: OrderStatus; count: number }>> {
  const { rows } = await tx.query<{ status: OrderStatus; count: number }>(
    'SELECT status, count(*)::int AS count FROM orders GROUP BY status ORDER BY status',
  );
  return rows;
}

export async function countSagasByState(
  tx: Tx,
): Promise<Array<{ state: SagaState; count: number }>> {
  const { rows } = await tx.query<{ state: SagaState; count: number }>(
    'SELECT state, count(*)::int AS count FROM sagas GROUP BY state ORDER BY state',
  );
  return rows;
}

export async function quantitiesByProduct(tx: Tx): Promise<ReconciledProduct[]> {
  const { rows } = await tx.query<{ productId: string; confirmed: string; inFlight: string }>(
    `SELECT i.product_id AS "productId",
            coalesce(sum(i.quantity) FILTER (WHERE s.state = 'CONFIRMED'), 0) AS confirmed,
            coalesce(sum(i.quantity) FILTER (WHERE s.state NOT IN ('CONFIRMED', 'CANCELLED')), 0)
              AS "inFlight"
     FROM order_items i JOIN sagas s ON s.order_id = i.order_id
     GROUP BY i.product_id
     ORDER BY i.product_id`,
  );
  return rows.map((row) => ({
    productId: row.productId,
    confirmed: Number(row.confirmed),
    inFlight: Number(row.inFlight),
  }));
}
