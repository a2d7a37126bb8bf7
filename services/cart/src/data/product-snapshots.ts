import { z } from 'zod';
import type { ProductSnapshot } from '../domain/cart';
import type { CartKeys } from './keys';
import type { Redis } from './redis';
import type { RedisUnit } from './redis-inbox';

const snapshotSchema = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  priceCents: z.number().int(),
  currency: z.string(),
});

export interface SnapshotStore {
  get(productId: string): Promise<ProductSnapshot | undefined>;
  getMany(productIds: readonly string[]): Promise<Map<string, ProductSnapshot>>;
  save(snapshot: ProductSnapshot): Promise<void>;
  /** Within a message's inbox unit. */
  saveIn(unit: RedisUnit, snapshot: ProductSnapshot): void;
}

/**
 * One key per product, without a time to live: a line in a living cart must always find its
 * snapshot, and there are only as many as the catalog has products (a few hundred bytes each).
 */
export function redisSnapshotStore(redis: Redis, keys: CartKeys): SnapshotStore {
  const serialize = (snapshot: ProductSnapshot) => JSON.stringify(snapshotSchema.parse(snapshot));
  return {
    async get(productId) {
      const json = await redis.get(keys.product(productId));
      return json === null ? undefined : snapshotSchema.parse(JSON.parse(json));
    },
    async getMany(productIds) {
      const found = new Map<string, ProductSnapshot>();
      if (productIds.length === 0) return found;
      const values = await redis.mget(productIds.map((id) => keys.product(id)));
      for (const json of values) {
        if (json === null) continue;
        const snapshot = snapshotSchema.parse(JSON.parse(json));
        found.set(snapshot.id, snapshot);
      }
      return found;
    },
    async save(snapshot) {
      await redis.set(keys.product(snapshot.id), serialize(snapshot));
    },
    saveIn(unit, snapshot) {
      unit.writes.set(keys.product(snapshot.id), serialize(snapshot));
    },
  };
}
