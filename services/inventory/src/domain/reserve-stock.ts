import type { PayloadOf } from '@shop/contracts';
import type { Tx } from '@shop/postgres';
import {
  claimReservation,
  holdLines,
  lockReservation,
  markFailed,
  type Reservation,
} from '../data/reservations';
import { lockStockItems } from '../data/stock-items';
import { announce, emitLevelsChanged, type Cause, type Outgoing } from '../messaging/emit';
import { decideReservation, mergeLines } from './reservation-rules';

export type ReserveStockCommand = PayloadOf<'ReserveStock'>;

export type ReservationOutcome = Outgoing<
  'StockReserved' | 'StockReservationFailed' | 'StockReleased'
>;

/**
 * Reserves every line of the order or none, and answers the saga with the outcome.
 *
 * Atomic whatever the concurrency because the stock rows are locked (SELECT … FOR UPDATE, in
 * product id order) before they are read and changed, in the same transaction. Chosen over one
 * conditional `UPDATE … SET reserved = reserved + n WHERE on_hand - reserved >= n` per line
 * because an order has several lines: the conditional form would need a savepoint to undo the
 * lines already taken when a later one fails, and could not report every short line with its
 * available count (StockReservationFailed.shortages) from one consistent view. Locking in one
 * global order means concurrent orders sharing products wait for each other but never deadlock.
 * The table's CHECK constraints are the last line: an oversell aborts the transaction.
 *
 * Idempotent per order, not per message: the saga re-sends ReserveStock with a new message id on
 * its deadline, and that copy finds the order's row and repeats the answer without reserving.
 */
export async function reserveStock(
  tx: Tx,
  command: ReserveStockCommand,
  settings: { ttlMs: number },
  cause: Cause,
): Promise<ReservationOutcome> {
  const { orderId } = command;
  if (!(await claimReservation(tx, orderId, settings.ttlMs))) {
    const existing = await lockReservation(tx, orderId);
    return announce(tx, answerToRepeatedReserve(existing!), cause);
  }
  const lines = mergeLines(command.lines);
  const stock = await lockStockItems(
    tx,
    lines.map((line) => line.productId),
  );
  const decision = decideReservation(lines, stock);
  if (decision.kind === 'refuse') {
    await markFailed(tx, orderId, decision.failure);
    return announce(
      tx,
      { type: 'StockReservationFailed', payload: { orderId, ...decision.failure } },
      cause,
    );
  }
  const changed = await holdLines(tx, orderId, lines);
  await emitLevelsChanged(tx, changed, cause);
  return announce(tx, { type: 'StockReserved', payload: { orderId, lines } }, cause);
}

/**
 * What the order's reservation says now: reserved (or since committed) → StockReserved with the
 * lines it holds; refused → the same refusal; released (expired, compensated, or a release that
 * came first) → StockReleased with its reason, never a fresh reservation.
 */
function answerToRepeatedReserve(reservation: Reservation): ReservationOutcome {
  const { orderId } = reservation;
  switch (reservation.status) {
    case 'RESERVED':
    case 'COMMITTED':
      return { type: 'StockReserved', payload: { orderId, lines: reservation.lines } };
    case 'FAILED':
      return { type: 'StockReservationFailed', payload: { orderId, ...reservation.failure! } };
    case 'RELEASED':
      return { type: 'StockReleased', payload: { orderId, reason: reservation.releaseReason! } };
  }
}
