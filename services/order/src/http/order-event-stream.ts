import type { AuthUser } from '@shop/auth';
import type { Pool } from '@shop/postgres';
import { openEventStream, type EventStream, type Logger } from '@shop/service-kit';
import type { OrderSnapshot } from '@shop/contracts';
import type { Request, Response } from 'express';
import type { OrderChanges } from '../data/order-changes';
import { getOrderSnapshot, isSettled } from '../domain/order-queries';

export interface OrderEventStreamDeps {
  pool: Pool;
  changes: OrderChanges;
  logger: Logger;
}

/**
 * `GET /api/orders/:id/events`: the order and its saga as server-sent events — `order` once when
 * the stream opens and again after every change the saga commits (PostgreSQL NOTIFY, from any
 * replica), then `end` once both have settled, and the stream closes. The browser follows a saga
 * without polling; the server reads the order only when it changed.
 */
export async function streamOrderEvents(
  { pool, changes, logger }: OrderEventStreamDeps,
  user: AuthUser,
  orderId: string,
  req: Request,
  res: Response,
): Promise<void> {
  let dirty = false;
  let reading: Promise<void> | undefined;
  let lastSent = '';
  let stream: EventStream | undefined;

  // Subscribed before the first read, so a change committed in between is not missed.
  const unsubscribe = changes.subscribe(orderId, () => {
    dirty = true;
    reading ??= sendChanges();
  });
  try {
    const first = await getOrderSnapshot(pool, user, orderId);
    stream = openEventStream(req, res);
    stream.signal.addEventListener('abort', unsubscribe);
    send(stream, first);
    // A change announced during the first read may not be in it.
    if (dirty) reading ??= sendChanges();
  } catch (error) {
    unsubscribe();
    throw error;
  }

  function send(to: EventStream, snapshot: OrderSnapshot): void {
    const data = JSON.stringify(snapshot);
    if (data !== lastSent) to.send('order', snapshot);
    lastSent = data;
    if (isSettled(snapshot)) {
      to.send('end', { status: snapshot.order.status });
      to.end();
    }
  }

  // One read at a time; changes that arrive meanwhile are folded into one more read.
  async function sendChanges(): Promise<void> {
    try {
      while (dirty && stream && !stream.signal.aborted) {
        dirty = false;
        const snapshot = await getOrderSnapshot(pool, user, orderId);
        if (!stream.signal.aborted) send(stream, snapshot);
      }
    } catch (error) {
      logger.warn({ err: error, orderId }, 'order event stream: reading the order failed');
      stream?.end();
    } finally {
      reading = undefined;
    }
  }
}
