import type { ReservationFailureReason, StockLine } from '@shop/contracts';

export interface Shortage {
  productId: string;
  requested: number;
  available: number;
}

export interface ReservationFailure {
  reason: ReservationFailureReason;
  shortages: Shortage[];
}

export interface Availability {
  productId: string;
  onHand: number;
  reserved: number;
}

export type ReservationDecision =
  { kind: 'reserve'; lines: StockLine[] } | { kind: 'refuse'; failure: ReservationFailure };

export function byProductId(a: { productId: string }, b: { productId: string }): number {
  if (a.productId === b.productId) return 0;
  return a.productId < b.productId ? -1 : 1;
}

/**
 * One line per product, in product id order (the order rows are locked in). An order naming a
 * product twice asks for the sum; ids are lower-cased as Postgres prints them.
 */
export function mergeLines(lines: StockLine[]): StockLine[] {
  const quantities = new Map<string, number>();
  for (const { productId, quantity } of lines) {
    const id = productId.toLowerCase();
    quantities.set(id, (quantities.get(id) ?? 0) + quantity);
  }
  return [...quantities]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort(byProductId);
}

/**
 * All lines or none. A product inventory has never heard of refuses the order as UNKNOWN_PRODUCT
 * (listing those products with 0 available); otherwise every line short of units is listed.
 */
export function decideReservation(lines: StockLine[], stock: Availability[]): ReservationDecision {
  const byId = new Map(stock.map((item) => [item.productId, item]));
  const unknown = lines.filter((line) => !byId.has(line.productId));
  if (unknown.length > 0) {
    return {
      kind: 'refuse',
      failure: {
        reason: 'UNKNOWN_PRODUCT',
        shortages: unknown.map((line) => ({
          productId: line.productId,
          requested: line.quantity,
          available: 0,
        })),
      },
    };
  }
  const shortages = lines.flatMap((line) => {
    const item = byId.get(line.productId)!;
    const available = item.onHand - item.reserved;
    return available >= line.quantity
      ? []
      : [{ productId: line.productId, requested: line.quantity, available }];
  });
  if (shortages.length > 0)
    return { kind: 'refuse', failure: { reason: 'OUT_OF_STOCK', shortages } };
  return { kind: 'reserve', lines };
}
