import { randomUUID } from 'node:crypto';
import { isFailure, type Answer, type GatewayClient } from './gateway-client';
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
  /** How many shoppers register when the load starts, or the shoppers registered beforehand. */
  shoppers: number | Shopper[];
  products: StockedProduct[];
  /** Share of checkouts paid with a card that is declined (0..1). */
  declineShare: number;
  maxOrdersPerShopper: number;
  timeline: Timeline;
  /**
   * Open loop: checkouts start at this many per second whatever the shop's pace, each by an idle
   * shopper of the `shoppers` registered (an arrival finding none idle is counted, not queued).
   * Without it the loop is closed: each shopper checks out again once the last order ended.
   */
  arrivalsPerSecond?: number;
  /** How long a shopper keeps retrying one checkout (same Idempotency-Key) before giving up: 30 s. */
  placeRetryMs?: number;
}

export interface LoadOutcome {
  shoppers: Shopper[];
  /** Orders a shopper got a 202 for. */
  acknowledged: PlacedOrder[];
  /** Checkouts given up after retrying the same Idempotency-Key for `placeRetryMs`. */
  abandoned: number;
  /** 422: the cart was empty by the time the order was placed (a late confirm emptied it). */
  emptyCart: number;
  /** Open loop: arrivals that found every shopper still busy with an earlier checkout. */
  noIdleShopper: number;
  /** Journeys that ended before checkout because the shop refused (503/429) every add to the cart. */
  cartsRefused: number;
}

export interface Load {
  /** Acknowledged orders the shoppers have not yet seen reach CONFIRMED or CANCELLED. */
  pendingOrders(): number;
  /** No new checkouts from now on; shoppers finish following what they placed. */
  stopPlacing(): void;
  /** Open loop: arrivals from now on come at this rate (a flash sale's burst, and its end). */
  setArrivalsPerSecond(perSecond: number): void;
  finished: Promise<LoadOutcome>;
}

const placeRetryMs = 30_000;
const registrationBatch = 10;
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

/**
 * How long a careful client waits before retrying a failed checkout: exponential backoff from
 * 250 ms up to 4 s, and never less than the `Retry-After` the shop sent with a 503 or 429 (an
 * overloaded shop says when it expects to have room; retrying sooner only adds to the queue).
 */
export function retryDelayMs(answer: Pick<Answer, 'headers'>, attempt: number): number {
  const backoff = Math.min(4_000, 250 * 2 ** attempt);
  const retryAfter = Number(answer.headers.get('retry-after'));
  return Number.isFinite(retryAfter) && retryAfter > 0
    ? Math.max(backoff, retryAfter * 1000)
    : backoff;
}
const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** A new customer through the gateway, retried for 30 s while the shop fails; undefined after. */
export async function registerShopper(client: GatewayClient): Promise<Shopper | undefined> {
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

/**
 * Shoppers who behave like careful clients of the public API: they register, fill a cart, check
 * out with an Idempotency-Key and retry that same key when the shop fails them (so a retry can
 * never buy twice), then follow the order until it ends. Closed loop by default (each shopper
 * checks out again after a pause), open loop with `arrivalsPerSecond`. The load ends by itself:
 * after `stopPlacing()` or `maxOrdersPerShopper` checkouts each.
 */
export function startLoad(options: LoadOptions): Load {
  const { client } = options;
  const lastStatus = new Map<string, string>();
  const outcome: LoadOutcome = {
    shoppers: [],
    acknowledged: [],
    abandoned: 0,
    emptyCart: 0,
    noIdleShopper: 0,
    cartsRefused: 0,
  };
  let placing = true;

  const register = () => registerShopper(client);

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
    let refused = false;
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
        refused = answer.status === 503 || answer.status === 429;
        await pause(retryDelayMs(answer, attempt));
      }
    }
    if (added === 0 && refused) outcome.cartsRefused += 1;
    return added > 0;
  }

  async function checkOut(shopper: Shopper): Promise<PlacedOrder | undefined> {
    const key = randomUUID();
    const paymentToken = Math.random() < options.declineShare ? 'tok_chargeDeclined' : 'tok_visa';
    const deadline = Date.now() + (options.placeRetryMs ?? placeRetryMs);
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
      const delay = retryDelayMs(answer, attempt);
      // Told to come back after its patience has run out, a shopper leaves now.
      if (Date.now() + delay >= deadline) break;
      await pause(delay);
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

  /** One checkout: a cart, an order, followed to its end. False when the cart stayed empty. */
  async function checkoutJourney(shopper: Shopper): Promise<boolean> {
    if (!(await fillCart(shopper))) return false;
    const order = await checkOut(shopper);
    if (order) {
      outcome.acknowledged.push(order);
      lastStatus.set(order.id, 'PENDING');
      await follow(order);
    }
    return true;
  }

  async function shopper(registered?: Shopper): Promise<Shopper | undefined> {
    const found = registered ?? (await register());
    if (!found) options.timeline.note('a shopper could not register within 30 s and went home');
    else outcome.shoppers.push(found);
    return found;
  }

  /**
   * Ten registrations at a time: each costs identity a password hash, and a hundred at once
   * would time out and come back as "already registered" to the shoppers who retried them.
   */
  async function shoppers(): Promise<(Shopper | undefined)[]> {
    if (typeof options.shoppers !== 'number') return Promise.all(options.shoppers.map(shopper));
    const found: (Shopper | undefined)[] = [];
    while (found.length < options.shoppers) {
      const batch = Math.min(registrationBatch, options.shoppers - found.length);
      found.push(...(await Promise.all(Array.from({ length: batch }, () => shopper()))));
    }
    return found;
  }

  async function shop(registered: Shopper | undefined): Promise<void> {
    if (!registered) return;
    const shopper = registered;
    for (let placed = 0; placing && placed < options.maxOrdersPerShopper;) {
      if (!(await checkoutJourney(shopper))) {
        await pause(500);
        continue;
      }
      placed += 1;
      await pause(100 + Math.random() * 400);
    }
  }

  let arrivalsPerSecond = options.arrivalsPerSecond ?? 0;

  /** Arrivals on a fixed clock (not after the last answer), so a slow shop meets the same load. */
  async function arrive(): Promise<void> {
    const idle = (await shoppers()).filter((found): found is Shopper => found !== undefined);
    const journeys: Promise<unknown>[] = [];
    for (let due = Date.now(); placing; due += 1000 / arrivalsPerSecond) {
      if (due > Date.now()) await pause(due - Date.now());
      if (!placing) break;
      const shopper = idle.pop();
      if (!shopper) {
        outcome.noIdleShopper += 1;
        continue;
      }
      journeys.push(checkoutJourney(shopper).finally(() => idle.push(shopper)));
    }
    await Promise.all(journeys);
  }

  const finished = (
    options.arrivalsPerSecond ? arrive() : shoppers().then((found) => Promise.all(found.map(shop)))
  ).then(() => outcome);
  return {
    pendingOrders: () => [...lastStatus.values()].filter((status) => !terminal.has(status)).length,
    stopPlacing() {
      placing = false;
    },
    setArrivalsPerSecond(perSecond) {
      if (!options.arrivalsPerSecond) throw new Error('the load is a closed loop: it has no rate');
      arrivalsPerSecond = perSecond;
    },
    finished,
  };
}
