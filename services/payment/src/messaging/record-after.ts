import { postgresInbox, type Inbox } from '@shop/messaging';
import type { Tx } from '@shop/postgres';
import type { Pool } from 'pg';

/**
 * What a payment handler works through. `pool` is for reads and slow work BEFORE any transaction
 * (the card processor call, with its retries); `record` then opens the one transaction that
 * stores the outcome, its event (outbox) and the message id (inbox) together.
 */
export interface PaymentUnit {
  pool: Pool;
  /** At most once per message. Rejects with `AlreadyApplied` when another copy got there first. */
  record<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

class AlreadyApplied extends Error {
  constructor() {
    super('message already applied');
    this.name = 'AlreadyApplied';
  }
}

/**
 * The Postgres inbox, with the transaction opened only when the handler is ready to record.
 *
 * Why not the default inbox, which runs the whole handler inside its transaction: an
 * authorization may wait on the processor for seconds (latency, then retries with backoff), and
 * holding a transaction and a pooled connection that long would let a slow processor exhaust the
 * pool and keep row locks open. So the processor is called first, outside any transaction, and
 * its answer is recorded afterwards, atomically with the inbox row. The consumer heartbeats while
 * the handler runs, so the wait does not cost the group membership either.
 *
 * The price: a crash between the call and the record repeats the call on redelivery. The call
 * is keyed by the order id (the processor's idempotency key) and the payments row is unique per
 * order, so it still charges at most once.
 */
export function recordAfterInbox(pool: Pool): Inbox<PaymentUnit> {
  const inbox = postgresInbox(pool);
  return {
    async applyOnce(entry, effect) {
      let recorded = false;
      const unit: PaymentUnit = {
        pool,
        async record<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
          if (recorded) throw new Error('a message records its effect once');
          recorded = true;
          let result: T | undefined;
          const applied = await inbox.applyOnce(entry, async (tx) => {
            result = await work(tx);
          });
          if (!applied) throw new AlreadyApplied();
          return result as T;
        },
      };
      try {
        await effect(unit);
        if (!recorded) return inbox.applyOnce(entry, () => Promise.resolve());
        return true;
      } catch (error) {
        if (error instanceof AlreadyApplied) return false;
        throw error;
      }
    },
  };
}
