import type { MessageOf } from '@shop/contracts';
import type { InboxedStatement } from '@shop/messaging';
import type { Logger } from '@shop/service-kit';
import { applyStockLevel } from '../data/stock';

/**
 * Keeps the stock read model. `asOf` is when inventory's change happened, not when it reached
 * us, so a client sees how old the figure really is. Levels for products this catalog does not
 * know are ignored: inventory only tracks products the catalog created, so they are other
 * systems' traffic on the shared topic (tests, another environment).
 */
export async function onStockLevelChanged(
  message: MessageOf<'StockLevelChanged'>,
  statement: InboxedStatement,
  logger: Logger,
): Promise<void> {
  const { productId, available, sequence } = message.payload;
  const outcome = await applyStockLevel(statement, {
    productId,
    available,
    sequence,
    asOf: new Date(message.occurredAt),
  });
  logger.debug({ productId, sequence, outcome }, 'stock level handled');
}
