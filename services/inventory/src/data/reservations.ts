import type { ReleaseReason, StockLine, StockReleasedReason } from '@shop/contracts';
import type { Tx } from '@shop/postgres';
import type { ReservationFailure } from '../domain/reservation-rules';

export type ReservationStatus = 'RESERVED' | 'FAILED' | 'COMMITTED' | 'RELEASED';

export interface Reservation {
  orderId: string;
  status: ReservationStatus;
  /** What the order holds or held, in product id order; empty when it never held anything. */
  lines: StockLine[];
  failure: ReservationFailure | undefined;
  releaseReason: StockReleasedReason | undefined;
  /** Past its deadline (only meaningful while RESERVED). */
  expired: boolean;
}

interface ReservationRow {
  orderId: string;
  status: ReservationStatus;
  failureReason: ReservationFailure['reason'] | null;
  shortages: ReservationFailure['shortages'] | null;
  releaseReason: StockReleasedReason | null;
  expired: boolean;
}

/**
 * Takes the order: inserts a RESERVED row that only this transaction sees until it commits. A
 * concurrent transaction claiming the same order waits on the primary key and then finds the row,
 * so one order is never reserved twice. False when the order already has a row.
 */
export async function claimReservation(tx: Tx, orderId: string, ttlMs: number): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO reservations (order_id, status, expires_at)
     VALUES ($1, 'RESERVED', now() + $2 * interval '1 millisecond')
     ON CONFLICT (order_id) DO NOTHING`,
    [orderId, ttlMs],
  );
  return rowCount === 1;
}

/** Records a release that found nothing, so a later ReserveStock for the order reserves nothing. */
export async function insertReleasedMarker(
  tx: Tx,
  orderId: string,
  reason: ReleaseReason,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO reservations (order_id, status, release_reason) VALUES ($1, 'RELEASED', $2)
     ON CONFLICT (order_id) DO NOTHING`,
    [orderId, reason],
  );
  return rowCount === 1;
}

export async function lockReservation(tx: Tx, orderId: string): Promise<Reservation | undefined> {
  const { rows } = await tx.query<ReservationRow>(
    `SELECT order_id AS "orderId", status, failure_reason AS "failureReason", shortages,
            release_reason AS "releaseReason", coalesce(expires_at <= now(), false) AS expired
     FROM reservations WHERE order_id = $1 FOR UPDATE`,
    [orderId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    orderId: row.orderId,
    status: row.status,
    lines: await linesOf(tx, orderId),
    failure:
      row.failureReason === null
        ? undefined
        : { reason: row.failureReason, shortages: row.shortages ?? [] },
    releaseReason: row.releaseReason ?? undefined,
    expired: row.expired,
  };
}

/**
 * One reservation past its deadline, locked; SKIP LOCKED lets several sweepers (one per
 * replica) work through the backlog side by side instead of queueing on the same rows.
 */
export async function lockNextExpired(tx: Tx): Promise<string | undefined> {
  const { rows } = await tx.query<{ orderId: string }>(
    `SELECT order_id AS "orderId" FROM reservations
     WHERE status = 'RESERVED' AND expires_at <= now()
     ORDER BY expires_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
  );
  return rows[0]?.orderId;
}

export async function insertLines(tx: Tx, orderId: string, lines: StockLine[]): Promise<void> {
  await tx.query(
    `INSERT INTO reservation_lines (order_id, product_id, quantity)
     SELECT $1, product_id, quantity FROM unnest($2::uuid[], $3::int[]) AS l (product_id, quantity)`,
    [orderId, lines.map((line) => line.productId), lines.map((line) => line.quantity)],
  );
}

export async function markFailed(
  tx: Tx,
  orderId: string,
  failure: ReservationFailure,
): Promise<void> {
  await tx.query(
    `UPDATE reservations
     SET status = 'FAILED', failure_reason = $2, shortages = $3, expires_at = NULL, updated_at = now()
     WHERE order_id = $1`,
    [orderId, failure.reason, JSON.stringify(failure.shortages)],
  );
}

export async function markCommitted(tx: Tx, orderId: string): Promise<void> {
  await tx.query(
    `UPDATE reservations SET status = 'COMMITTED', expires_at = NULL, updated_at = now()
     WHERE order_id = $1`,
    [orderId],
  );
}

export async function markReleased(
  tx: Tx,
  orderId: string,
  reason: StockReleasedReason,
): Promise<void> {
  await tx.query(
    `UPDATE reservations
     SET status = 'RELEASED', release_reason = $2, expires_at = NULL, updated_at = now()
     WHERE order_id = $1`,
    [orderId, reason],
  );
}

async function linesOf(tx: Tx, orderId: string): Promise<StockLine[]> {
  const { rows } = await tx.query<StockLine>(
    `SELECT product_id AS "productId", quantity FROM reservation_lines
     WHERE order_id = $1 ORDER BY product_id`,
    [orderId],
  );
  return rows;
}
