import type { ReleaseReason, StockLine, StockReleasedReason } from '@shop/contracts';
import type { Tx } from '@shop/postgres';
import type { ReservationFailure } from '../domain/reservation-rules';
import {
  selectChangedItems,
  levelChangeParams,
  levelChangeCtes,
  type LevelChange,
  type StockItem,
} from './stock-items';

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
  lines: StockLine[];
}

/** How a held reservation ends: its units shipped, or given back. */
export type ReservationEnding =
  { status: 'COMMITTED' } | { status: 'RELEASED'; reason: StockReleasedReason };

/**
 * The reservation with its lines (json keeps their keys in contract order), read in one statement
 * even when it locks: the lines are written once, by the transaction that claims the reservation,
 * so no lock wait can make them stale.
 */
const reservationColumns = `order_id AS "orderId", status, failure_reason AS "failureReason",
  shortages, release_reason AS "releaseReason", coalesce(expires_at <= now(), false) AS expired,
  (SELECT coalesce(json_agg(json_build_object('productId', product_id, 'quantity', quantity)
      ORDER BY product_id), '[]')
    FROM reservation_lines WHERE reservation_lines.order_id = reservations.order_id) AS lines`;

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
    `SELECT ${reservationColumns} FROM reservations
     WHERE order_id = $1 FOR UPDATE OF reservations`,
    [orderId],
  );
  return rows[0] && toReservation(rows[0]);
}

/**
 * One reservation past its deadline, locked; SKIP LOCKED lets several sweepers (one per
 * replica) work through the backlog side by side instead of queueing on the same rows.
 */
export async function lockNextExpired(tx: Tx): Promise<Reservation | undefined> {
  const { rows } = await tx.query<ReservationRow>(
    `SELECT ${reservationColumns} FROM reservations
     WHERE status = 'RESERVED' AND expires_at <= now()
     ORDER BY expires_at LIMIT 1 FOR UPDATE OF reservations SKIP LOCKED`,
  );
  return rows[0] && toReservation(rows[0]);
}

/**
 * Holds the lines' units (reserved goes up by each quantity) and records them as the order's, in
 * one statement: a round trip less per reservation. Returns the changed stock rows.
 */
export async function holdLines(tx: Tx, orderId: string, lines: StockLine[]): Promise<StockItem[]> {
  const held = lines.map((line) => ({
    productId: line.productId,
    onHandDelta: 0,
    reservedDelta: line.quantity,
  }));
  const { rows } = await tx.query<StockItem>(
    `WITH ${levelChangeCtes},
       recorded AS (
         INSERT INTO reservation_lines (order_id, product_id, quantity)
         SELECT $4::uuid, product_id, quantity
         FROM unnest($1::uuid[], $3::int[]) AS l (product_id, quantity)
       )
     ${selectChangedItems}`,
    [...levelChangeParams(held), orderId],
  );
  return rows;
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

/**
 * Records how the reservation ended and applies the changes its lines make to the levels, in one
 * statement: a round trip less per saga step. Returns the changed stock rows.
 */
export async function recordEnding(
  tx: Tx,
  orderId: string,
  ending: ReservationEnding,
  changes: LevelChange[],
): Promise<StockItem[]> {
  const { rows } = await tx.query<StockItem>(
    `WITH ${levelChangeCtes},
       ended AS (
         UPDATE reservations
         SET status = $5, release_reason = $6, expires_at = NULL, updated_at = now()
         WHERE order_id = $4
       )
     ${selectChangedItems}`,
    [
      ...levelChangeParams(changes),
      orderId,
      ending.status,
      ending.status === 'RELEASED' ? ending.reason : null,
    ],
  );
  return rows;
}

function toReservation(row: ReservationRow): Reservation {
  return {
    orderId: row.orderId,
    status: row.status,
    lines: row.lines,
    failure:
      row.failureReason === null
        ? undefined
        : { reason: row.failureReason, shortages: row.shortages ?? [] },
    releaseReason: row.releaseReason ?? undefined,
    expired: row.expired,
  };
}
