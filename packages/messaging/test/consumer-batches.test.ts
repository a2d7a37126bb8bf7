import { setTimeout as sleep } from 'node:timers/promises';
import { createProducer, startConsumer, type MessageProducer, type RunningConsumer } from '../src';
import { countersTable, incrementCounter } from './support/counters';
import {
  committedBy,
  createTestBed,
  logger,
  uniqueName,
  type TestBed,
} from './support/environment';
import { counterEvent, parseTestEvent } from './support/test-event';
import { waitFor } from '@shop/testkit';

jest.setTimeout(60_000);

/**
 * Messages that wait for a consumer arrive together, as one fetched batch per partition: the
 * consumer applies them one after another and commits once for all it applied.
 */

let bed: TestBed;
let producer: MessageProducer;
const running: RunningConsumer[] = [];

// A topic of its own for each test: a group reads its topic from the beginning.
beforeEach(async () => {
  bed = await createTestBed(countersTable);
  producer = createProducer(bed.kafka);
  await producer.connect();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((consumer) => consumer.stop()));
  await producer?.disconnect();
  await bed?.close();
});

/** Twelve messages of one key (so one partition, in this order), published before anyone reads. */
async function publishWaitingMessages(prefix: string): Promise<string[]> {
  const counterIds = Array.from(
    { length: 12 },
    (_, i) => `${prefix}-${String(i).padStart(2, '0')}`,
  );
  await producer.publish(
    counterIds.map((counterId) => ({
      topic: bed.topic,
      key: prefix,
      value: JSON.stringify(counterEvent(counterId)),
    })),
  );
  return counterIds;
}

async function startCounting(groupId: string, delayMs: number): Promise<RunningConsumer> {
  const consumer = await startConsumer({
    kafka: bed.kafka,
    pool: bed.pool,
    groupId,
    consumerName: 'batch-test',
    topics: [bed.topic],
    parse: parseTestEvent,
    logger,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 1_000,
    handlers: {
      CounterIncremented: async (message, tx, context) => {
        await sleep(delayMs);
        await incrementCounter(message, tx, context);
      },
    },
  });
  running.push(consumer);
  return consumer;
}

async function stopped(consumer: RunningConsumer): Promise<void> {
  await consumer.stop();
  running.splice(running.indexOf(consumer), 1);
}

/** The counters of `prefix` in the order they were applied, and how often each was. */
async function applied(prefix: string): Promise<{ order: string[]; values: number[] }> {
  const arrivals = await bed.pool.query<{ counter_id: string }>(
    'SELECT counter_id FROM arrivals WHERE counter_id LIKE $1 ORDER BY seq',
    [`${prefix}-%`],
  );
  const counters = await bed.pool.query<{ value: number }>(
    'SELECT value FROM counters WHERE counter_id LIKE $1',
    [`${prefix}-%`],
  );
  return {
    order: arrivals.rows.map((row) => row.counter_id),
    values: counters.rows.map((row) => row.value),
  };
}

test('when messages arrive together, then each is applied once, in order, and the offset passes the last', async () => {
  const prefix = uniqueName('together');
  const groupId = uniqueName('batch-together');
  const counterIds = await publishWaitingMessages(prefix);

  await startCounting(groupId, 0);

  await waitFor(async () => (await committedBy(bed.kafka, groupId, bed.topic)) === 12, {
    what: 'the group to commit past all twelve',
  });
  const { order, values } = await applied(prefix);
  expect(order).toEqual(counterIds);
  expect(values).toEqual(Array(12).fill(1));
});

test('when a consumer stops in the middle of a batch, then it commits what it applied, and the next member applies the rest, none twice', async () => {
  const prefix = uniqueName('interrupted');
  const groupId = uniqueName('batch-interrupted');
  const counterIds = await publishWaitingMessages(prefix);

  const first = await startCounting(groupId, 150);
  await waitFor(async () => (await applied(prefix)).order.length >= 3, {
    what: 'the first member to apply a few',
  });
  await stopped(first);

  const appliedByFirst = (await applied(prefix)).order.length;
  expect(appliedByFirst).toBeLessThan(12);
  expect(await committedBy(bed.kafka, groupId, bed.topic)).toBe(appliedByFirst);

  await startCounting(groupId, 0);
  await waitFor(async () => (await committedBy(bed.kafka, groupId, bed.topic)) === 12, {
    what: 'the next member to commit past all twelve',
  });
  const { order, values } = await applied(prefix);
  expect(order).toEqual(counterIds);
  expect(values).toEqual(Array(12).fill(1));
});
