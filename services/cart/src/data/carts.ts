import { MAX_CART_LINES, MAX_LINE_QUANTITY } from '@shop/contracts';
import {
  parseStoredCart,
  serializeStoredCart,
  withoutOrderedItems,
  type OrderedItem,
  type StoredCart,
} from '../domain/cart';
import { addLine, removeLine, setLineQuantity } from './cart-scripts';
import type { CartKeys } from './keys';
import type { LuaReply, Redis } from './redis';
import type { RedisUnit } from './redis-inbox';

export type CartChange =
  | { kind: 'changed'; cart: StoredCart | null }
  | { kind: 'quantity-exceeded'; inCart: number }
  | { kind: 'too-many-lines' }
  | { kind: 'currency-mismatch'; cartCurrency: string }
  | { kind: 'not-in-cart' };

export interface CartStore {
  get(customerId: string): Promise<StoredCart | null>;
  addLine(
    customerId: string,
    line: { productId: string; quantity: number; currency: string },
  ): Promise<CartChange>;
  setLineQuantity(customerId: string, productId: string, quantity: number): Promise<CartChange>;
  removeLine(customerId: string, productId: string): Promise<CartChange>;
  clear(customerId: string): Promise<void>;
  /** Within a message's inbox unit: commits only together with the message's inbox record. */
  removeOrderedItems(
    unit: RedisUnit,
    customerId: string,
    items: readonly OrderedItem[],
  ): Promise<void>;
}

/** Every write (re)sets the key's time to live: a cart lives `ttlMs` past its last change. */
export function redisCartStore(redis: Redis, keys: CartKeys, ttlMs: number): CartStore {
  const now = () => new Date().toISOString();
  return {
    async get(customerId) {
      return parseStoredCart(await redis.get(keys.cart(customerId)));
    },
    async addLine(customerId, { productId, quantity, currency }) {
      const reply = await addLine(
        redis,
        [keys.cart(customerId)],
        [productId, quantity, currency, MAX_LINE_QUANTITY, MAX_CART_LINES, now(), ttlMs],
      );
      return changeOf(reply);
    },
    async setLineQuantity(customerId, productId, quantity) {
      const reply = await setLineQuantity(
        redis,
        [keys.cart(customerId)],
        [productId, quantity, now(), ttlMs],
      );
      return changeOf(reply);
    },
    async removeLine(customerId, productId) {
      return changeOf(await removeLine(redis, [keys.cart(customerId)], [productId, now(), ttlMs]));
    },
    async clear(customerId) {
      await redis.del(keys.cart(customerId));
    },
    async removeOrderedItems(unit, customerId, items) {
      const key = keys.cart(customerId);
      const cart = parseStoredCart(await unit.read(key));
      const next = cart && withoutOrderedItems(cart, items, new Date());
      if (next) unit.writes.set(key, serializeStoredCart(next), 'PX', ttlMs);
    },
  };
}

function changeOf([status, value]: LuaReply): CartChange {
  switch (status) {
    case 'ok':
      return { kind: 'changed', cart: parseStoredCart(value) };
    case 'quantity-exceeded':
      return { kind: 'quantity-exceeded', inCart: Number(value) };
    case 'too-many-lines':
      return { kind: 'too-many-lines' };
    case 'currency-mismatch':
      return { kind: 'currency-mismatch', cartCurrency: value };
    case 'not-in-cart':
      return { kind: 'not-in-cart' };
    default:
      throw new Error(`unexpected cart script status "${status}"`);
  }
}
