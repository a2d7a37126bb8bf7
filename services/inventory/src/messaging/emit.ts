import { outboxWriter, type Cause } from '@shop/messaging';
import type { Tx } from '@shop/postgres';
import type { StockItem } from '../data/stock-items';
import { levelsOf } from '../domain/levels';

export type { Cause, Outgoing } from '@shop/messaging';

export const source = 'inventory';

/** Through the outbox only: published if and only if the caller's transaction commits. */
export const { emit, announce } = outboxWriter(source);

export async function emitLevelsChanged(tx: Tx, items: StockItem[], cause: Cause): Promise<void> {
  for (const item of items) {
    await emit(
      tx,
      { type: 'StockLevelChanged', payload: { ...levelsOf(item), sequence: item.sequence } },
      cause,
    );
  }
}
