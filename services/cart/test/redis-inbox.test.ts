import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { cartKeys } from '../src/data/keys';
import { redisInbox, type RedisInbox } from '../src/data/redis-inbox';
import { requiredEnv, uniqueName } from './support/environment';

const keys = cartKeys(`${uniqueName('cart-inbox-test')}:`);
let redis: Redis;
let inbox: RedisInbox;

beforeAll(() => {
  redis = new Redis(requiredEnv('REDIS_URL'));
  inbox = redisInbox(redis, { keys, ttlMs: 60_000 });
});

afterAll(async () => {
  await inbox.close();
  await redis.quit();
});

function entry(messageId = randomUUID()) {
  return { consumer: 'cart', messageId, topic: 'order.events.v1' };
}

test('when the same message is applied twice, then its effect runs once', async () => {
  const counter = `${keys.cart(randomUUID())}`;
  const message = entry();
  const increment = async (unit: Parameters<Parameters<RedisInbox['applyOnce']>[1]>[0]) => {
    const value = Number((await unit.read(counter)) ?? 0);
    unit.writes.set(counter, String(value + 1));
  };

  const first = await inbox.applyOnce(message, increment);
  const second = await inbox.applyOnce(message, increment);

  expect([first, second]).toEqual([true, false]);
  expect(await redis.get(counter)).toBe('1');
  expect(await redis.pttl(keys.inbox('cart', message.messageId))).toBeGreaterThan(0);
});

test('when a key the effect read changes before the commit, then the effect runs again on the new value', async () => {
  const counter = `${keys.cart(randomUUID())}`;
  await redis.set(counter, '10');
  let runs = 0;

  const applied = await inbox.applyOnce(entry(), async (unit) => {
    runs += 1;
    const value = Number(await unit.read(counter));
    // Someone else's write lands between this read and the commit, but only on the first run.
    if (runs === 1) await redis.incrby(counter, 5);
    unit.writes.set(counter, String(value - 3));
  });

  expect(applied).toBe(true);
  expect(runs).toBe(2);
  expect(await redis.get(counter)).toBe('12');
});

test('when the effect fails, then nothing is recorded and the message can be applied later', async () => {
  const message = entry();

  await expect(
    inbox.applyOnce(message, () => Promise.reject(new Error('handler failed'))),
  ).rejects.toThrow('handler failed');
  const retried = await inbox.applyOnce(message, () => Promise.resolve());

  expect(retried).toBe(true);
});
