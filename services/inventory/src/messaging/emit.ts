import { outboxWriter, type Cause } from '@shop/messaging';
import type { Tx } from '@shop/postgres';
import type { StockItem } from '../data/stock-items';
import { levelsOf } from '../domain/levels';

export type { Cause, Outgoing } from '@shop/messaging';

export const source = 'inventory';

/** Through the outbox only: published if and only if the caller's transaction commits. */
export const { emit, emitAll, announce } = outboxWriter(source);

/** Each item's new level, in one statement (an order's lines change several at once). */
export async function emitLevelsChanged(tx: Tx, items: StockItem[], cause: Cause): Promise<void> {
  await emitAll(
    tx,
    items.map((item) => ({
      type: 'StockLevelChanged' as const,
      payload: { ...levelsOf(item), sequence: item.sequence },
    })),
    cause,
  );
}
