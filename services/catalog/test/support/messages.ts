import { randomUUID } from 'node:crypto';
import { createMessage, type MessageOf } from '@shop/contracts';

export interface StockLevelInput {
  productId: string;
  sku: string;
  available: number;
  sequence: number;
  reserved?: number;
  occurredAt?: Date;
  id?: string;
}

/** What inventory announces about a product, keyed by product like the real one. */
export function stockLevelChanged(input: StockLevelInput): MessageOf<'StockLevelChanged'> {
  const reserved = input.reserved ?? 0;
  return createMessage(
    'StockLevelChanged',
    {
      productId: input.productId,
      sku: input.sku,
      onHand: input.available + reserved,
      reserved,
      available: input.available,
      sequence: input.sequence,
    },
    {
      source: 'inventory',
      correlationId: input.productId,
      id: input.id ?? randomUUID(),
      ...(input.occurredAt ? { occurredAt: input.occurredAt } : {}),
    },
  );
}
