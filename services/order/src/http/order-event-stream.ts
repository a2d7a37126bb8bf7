import type { AuthUser } from '@shop/auth';
import type { OrderSnapshot } from '@shop/contracts';
import { openEventStream, type EventStream, type Logger } from '@shop/service-kit';
import type { Request, Response } from 'express';
import type { OrderChanges } from '../data/order-changes';
import { isSettled } from '../domain/order-queries';

export interface OrderEventStreamDeps {
  changes: OrderChanges;
  logger: Logger;
  /** The order and its saga as `user` may see them (404 otherwise). */
  readSnapshot: (user: AuthUser, orderId: string) => Promise<OrderSnapshot>;
}

/**
 * `GET /api/orders/:id/events`: the order and its saga as server-sent events — `order` once when
 * the stream opens and again after every change the saga commits (PostgreSQL NOTIFY, from any
 * replica), then `end` once both have settled, and the stream closes. The browser follows a saga
 * without polling; the server reads the order only when it changed.
 */
export async function streamOrderEvents(
  { changes, logger, readSnapshot }: OrderEventStreamDeps,
  user: AuthUser,
  orderId: string,
  req: Request,
  res: Response,
): Promise<void> {
  let stream: EventStream | undefined;
  /** A change was announced that no read has covered yet. */
  let dirty = false;
  let reading = false;
  let lastSent = '';

  function send(to: EventStream, snapshot: OrderSnapshot): void {
    const data = JSON.stringify(snapshot);
    if (data !== lastSent) to.send('order', snapshot);
    lastSent = data;
    if (isSettled(snapshot)) {
      to.send('end', { status: snapshot.order.status });
      to.end();
    }
  }

  // One read at a time; the changes announced meanwhile are covered by one more read after it.
  async function readWhileDirty(to: EventStream): Promise<void> {
    try {
      while (dirty && !to.signal.aborted) {
        dirty = false;
        const snapshot = await readSnapshot(user, orderId);
        if (!to.signal.aborted) send(to, snapshot);
      }
    } catch (error) {
      logger.warn({ err: error, orderId }, 'order event stream: reading the order failed');
      to.end();
    }
  }

  function readIfDirty(): void {
    const to = stream;
    // Before the stream opens, the first read (below) covers what was announced so far.
    if (reading || !dirty || !to || to.signal.aborted) return;
    reading = true;
    void readWhileDirty(to).finally(() => {
      reading = false;
      readIfDirty();
    });
  }

  // Subscribed before the first read, so a change committed in between is not missed.
  const unsubscribe = changes.subscribe(orderId, () => {
    dirty = true;
    readIfDirty();
  });
  try {
    const first = await readSnapshot(user, orderId);
    stream = openEventStream(req, res);
    stream.signal.addEventListener('abort', unsubscribe);
    send(stream, first);
  } catch (error) {
    unsubscribe();
    throw error;
  }
  // A change announced during the first read may not be in it.
  readIfDirty();
}
