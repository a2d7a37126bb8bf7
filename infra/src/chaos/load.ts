import { randomUUID } from 'node:crypto';
import { isFailure, type GatewayClient } from './gateway-client';
import type { StockedProduct } from './shop-fixture';
import type { Timeline } from './timeline';

export interface Shopper {
  id: string;
  email: string;
  token: string;
}

export interface PlacedOrder {
  id: string;
  shopper: Shopper;
  paymentToken: string;
  placedAt: number;
}

export interface LoadOptions {
  client: GatewayClient;
  shoppers: number;
  products: StockedProduct[];
  /** Share of checkouts paid with a card that is declined (0..1). */
  declineShare: number;
  maxOrdersPerShopper: number;
  timeline: Timeline;
}

export interface LoadOutcome {
  shoppers: Shopper[];
  /** Orders a shopper got a 202 for. */
  acknowledged: PlacedOrder[];
  /** Checkouts given up after retrying the same Idempotency-Key for `placeRetryMs`. */
  abandoned: number;
  /** 422: the cart was empty by the time the order was placed (a late confirm emptied it). */
  emptyCart: number;
}

export interface Load {
  /** Acknowledged orders the shoppers have not yet seen reach CONFIRMED or CANCELLED. */
  pendingOrders(): number;
  /** No new checkouts from now on; shoppers finish following what they placed. */
  stopPlacing(): void;
  finished: Promise<LoadOutcome>;
}

const placeRetryMs = 30_000;
const followMs = 30_000;
const terminal = new Set(['CONFIRMED', 'CANCELLED']);
const shippingAddress = {
  name: 'Chaos Shopper',
  line1: '1 Resilience Road',
  city: 'Lisbon',
  postalCode: '1000-001',
  country: 'PT',
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;

/**
 * Shoppers who behave like careful clients of the public API: they register, fill a cart, check
 * out with an Idempotency-Key and retry that same key when the shop fails them (so a retry can
 * never buy twice), then follow the order until it ends. The loop ends by itself: after
 * `stopPlacing()` or `maxOrdersPerShopper` checkouts each.
 */
export function startLoad(options: LoadOptions): Load {
  const { client } = options;
  const lastStatus = new Map<string, string>();
  const outcome: LoadOutcome = { shoppers: [], acknowledged: [], abandoned: 0, emptyCart: 0 };
  let placing = true;

  async function register(): Promise<Shopper | undefined> {
    const email = `chaos-${randomUUID().slice(0, 12)}@example.test`;
    const deadline = Date.now() + placeRetryMs;
    while (Date.now() < deadline) {
      const answer = await client.request('register', 'POST', '/api/auth/register', {
        body: { email, password: randomUUID(), name: 'Chaos Shopper' },
      });
      if (answer.status === 201) {
        const { token, user } = answer.body as { token: string; user: { id: string } };
        return { id: user.id, email, token };
      }
      if (!isFailure(answer.status)) return undefined;
      await pause(500);
    }
    return undefined;
  }

  async function fillCart(shopper: Shopper): Promise<boolean> {
    const cart = await client.request('cart', 'GET', '/api/cart', { token: shopper.token });
    const leftovers = (cart.body as { items?: unknown[] } | undefined)?.items?.length ?? 0;
    // What a cancelled order leaves behind (only a confirm empties the cart) is not re-bought.
    if (leftovers > 0)
      await client.request('cart', 'DELETE', '/api/cart', { token: shopper.token });
    const plentiful = options.products.filter((product) => !product.scarce);
    const scarce = options.products.find((product) => product.scarce);
    const wanted = new Set([pick(plentiful)]);
    if (Math.random() < 0.5) wanted.add(pick(plentiful));
    if (scarce && Math.random() < 0.3) wanted.add(scarce);
    let added = 0;
    for (const product of wanted) {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const answer = await client.request('cart', 'POST', '/api/cart/items', {
          token: shopper.token,
          body: {
            productId: product.id,
            quantity: product.scarce ? 1 : 1 + Math.floor(Math.random() * 2),
          },
        });
        if (answer.status === 200) added += 1;
        if (!isFailure(answer.status)) break;
        await pause(300);
      }
    }
    return added > 0;
  }

  async function checkOut(shopper: Shopper): Promise<PlacedOrder | undefined> {
    const key = randomUUID();
    const paymentToken = Math.random() < options.declineShare ? 'tok_chargeDeclined' : 'tok_visa';
    const deadline = Date.now() + placeRetryMs;
    for (let attempt = 0; Date.now() < deadline; attempt += 1) {
      const answer = await client.request('place-order', 'POST', '/api/orders', {
        token: shopper.token,
        headers: { 'idempotency-key': key },
        body: { shippingAddress, paymentToken },
      });
      if (answer.status === 202) {
        const { id } = answer.body as { id: string };
        return { id, shopper, paymentToken, placedAt: Date.now() };
      }
      if (answer.status === 422) outcome.emptyCart += 1;
      if (!isFailure(answer.status)) return undefined;
      await pause(Math.min(4_000, 250 * 2 ** attempt));
    }
    outcome.abandoned += 1;
    return undefined;
  }

  async function follow(order: PlacedOrder): Promise<void> {
    const deadline = Date.now() + followMs;
    while (Date.now() < deadline) {
      const answer = await client.request('follow-order', 'GET', `/api/orders/${order.id}`, {
        token: order.shopper.token,
      });
      const status = (answer.body as { status?: string } | undefined)?.status;
      if (answer.status === 200 && status) lastStatus.set(order.id, status);
      if (status && terminal.has(status)) return;
      await pause(1_000);
    }
  }

  async function shop(): Promise<void> {
    const shopper = await register();
    if (!shopper) {
      options.timeline.note('a shopper could not register within 30 s and went home');
      return;
    }
    outcome.shoppers.push(shopper);
    for (let placed = 0; placing && placed < options.maxOrdersPerShopper;) {
      if (!(await fillCart(shopper))) {
        await pause(500);
        continue;
      }
      const order = await checkOut(shopper);
      if (order) {
        placed += 1;
        outcome.acknowledged.push(order);
        lastStatus.set(order.id, 'PENDING');
        await follow(order);
      }
      await pause(100 + Math.random() * 400);
    }
  }

  const finished = Promise.all(Array.from({ length: options.shoppers }, shop)).then(() => outcome);
  return {
    pendingOrders: () => [...lastStatus.values()].filter((status) => !terminal.has(status)).length,
    stopPlacing() {
      placing = false;
    },
    finished,
  };
}
