import type { OrderItem } from '@shop/contracts';
import type { Tx } from '@shop/postgres';
import { AppError, type FieldError } from '@shop/service-kit';
import { lockCustomerPlacements, openUnitsByProduct } from '../data/open-units';

/**
 * Anti-hoarding (OWASP API4/API6): a customer may hold at most `cap` units of one product in open
 * orders (PENDING or STOCK_RESERVED), the new order included, so that many orders placed at once
 * cannot tie up a product's stock. An order stops counting once CONFIRMED or CANCELLED: it then
 * holds no reservation of its own (a confirmed sale, or stock given back).
 *
 * Runs in the placing transaction, before the order is inserted: the lock makes the customer's
 * placements take turns until that transaction ends, and a refusal rolls back everything the
 * transaction wrote.
 */
export async function assertWithinOpenUnitsCap(
  tx: Tx,
  customerId: string,
  items: OrderItem[],
  cap: number,
): Promise<void> {
  await lockCustomerPlacements(tx, customerId);
  const open = await openUnitsByProduct(
    tx,
    customerId,
    items.map((item) => item.productId),
  );
  const errors = openUnitsCapErrors(items, open, cap);
  if (errors.length > 0) {
    throw new AppError(
      'UNPROCESSABLE',
      `the order would take your open orders past ${cap} units of a product`,
      { errors },
    );
  }
}

/** One error per product whose open units plus this order's would pass the cap. */
export function openUnitsCapErrors(
  items: OrderItem[],
  open: ReadonlyMap<string, number>,
  cap: number,
): FieldError[] {
  const ordered = new Map<string, number>();
  for (const { productId, quantity } of items) {
    ordered.set(productId, (ordered.get(productId) ?? 0) + quantity);
  }
  return [...ordered]
    .map(([productId, quantity]) => ({ productId, quantity, already: open.get(productId) ?? 0 }))
    .filter(({ quantity, already }) => already + quantity > cap)
    .map(({ productId, quantity, already }) => ({
      path: `items.${productId}`,
      message: `at most ${cap} units of a product may be in your open orders: ${already} already are, this order adds ${quantity}`,
    }));
}
