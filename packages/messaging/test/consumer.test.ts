import { createProducer, startConsumer, type MessageProducer, type RunningConsumer } from '../src';
import { counter, countersTable, incrementCounter } from './support/counters';
import {
  collect,
  createTestBed,
  logger,
  uniqueName,
  type Received,
  type TestBed,
} from './support/environment';
import { counterEvent, parseTestEvent } from './support/test-event';
import { waitFor } from '@shop/testkit';

jest.setTimeout(60_000);

const tables = `
  ${countersTable};
  CREATE TABLE handler_calls (
    message_id uuid PRIMARY KEY, calls integer NOT NULL, partition integer NOT NULL, "offset" text NOT NULL
  )`;

let bed: TestBed;
let producer: MessageProducer;
let consumer: RunningConsumer;
let deadLetters: { messages: Received[]; stop(): Promise<void> };
const groupId = uniqueName('consumer-test');

beforeAll(async () => {
  bed = await createTestBed(tables);
  producer = createProducer(bed.kafka);
  await producer.connect();
  deadLetters = await collect(bed.dlq);
  consumer = await startConsumer({
    kafka: bed.kafka,
    pool: bed.pool,
    groupId,
    consumerName: 'consumer-test',
    topics: [bed.topic],
    parse: parseTestEvent,
    maxAttempts: 3,
    backoff: { baseMs: 300, maxMs: 600 },
    logger,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 1_000,
    handlers: {
      CounterIncremented: async (message, tx, context) => {
        // Counted outside the handler's transaction, which a failure rolls back.
        await bed.pool.query(
          `INSERT INTO handler_calls VALUES ($1, 1, $2, $3)
           ON CONFLICT (message_id) DO UPDATE SET calls = handler_calls.calls + 1`,
          [message.id, context.partition, context.offset],
        );
        if (message.payload.counterId.startsWith('poison')) throw new Error('refusing poison');
        await incrementCounter(message, tx, context);
      },
    },
  });
});

afterAll(async () => {
  await consumer?.stop();
  await deadLetters?.stop();
  await producer?.disconnect();
  await bed?.close();
});

async function send(key: string, value: string): Promise<void> {
  await producer.publish([{ topic: bed.topic, key, value }]);
}

async function callsOf(messageId: string) {
  const { rows } = await bed.pool.query<{ calls: number; partition: number; offset: string }>(
    'SELECT calls, partition, "offset" FROM handler_calls WHERE message_id = $1',
    [messageId],
  );
  return rows[0];
}

async function committedOffset(partition: number): Promise<number> {
  const admin = bed.kafka.admin();
  await admin.connect();
  try {
    const [topic] = await admin.fetchOffsets({ groupId, topics: [bed.topic] });
    return Number(topic?.partitions.find((entry) => entry.partition === partition)?.offset ?? -1);
  } finally {
    await admin.disconnect();
  }
}

function deadLetterFrom(offset: string, partition: number): Received | undefined {
  return deadLetters.messages.find(
    (message) =>
      message.headers['dlq-original-offset'] === offset &&
      message.headers['dlq-original-partition'] === String(partition),
  );
}

test('when a handler keeps throwing, then it is retried with its offset held, dead-lettered with the error, and the next message is processed', async () => {
  const key = uniqueName('aggregate');
  const poison = counterEvent(uniqueName('poison'));
  const next = counterEvent(uniqueName('after-poison'));

  await send(key, JSON.stringify(poison));
  await send(key, JSON.stringify(next));

  const failing = await waitFor(
    async () => {
      const calls = await callsOf(poison.id);
      return calls && calls.calls >= 2 ? calls : undefined;
    },
    { what: 'a second attempt' },
  );
  expect(await committedOffset(failing.partition)).toBeLessThanOrEqual(Number(failing.offset));
  expect(await counter(bed.pool, next.payload.counterId)).toBeUndefined();

  const letter = await waitFor(() => deadLetterFrom(failing.offset, failing.partition), {
    what: 'the dead letter',
  });
  expect(letter).toMatchObject({
    key,
    value: JSON.stringify(poison),
    headers: {
      'dlq-reason': 'handler-failed',
      'dlq-attempts': '3',
      'dlq-error': 'Error: refusing poison',
      'dlq-original-topic': bed.topic,
      'dlq-consumer': 'consumer-test',
    },
  });
  await waitFor(() => counter(bed.pool, next.payload.counterId), { what: 'the next message' });
  expect((await callsOf(poison.id))?.calls).toBe(3);
  // Committed within the commit interval, with whatever else was applied by then.
  await waitFor(async () => (await committedOffset(failing.partition)) > Number(failing.offset), {
    what: 'the offset to pass the dead-lettered message',
  });
});

test('when a message is not JSON or fails its schema, then it is dead-lettered and the consumer goes on', async () => {
  const key = uniqueName('aggregate');
  const good = counterEvent(uniqueName('good'));
  const unknownField = { ...counterEvent('x'), payload: { counterId: 'x', extra: true } };

  await send(key, '{"not json');
  await send(key, JSON.stringify(unknownField));
  await send(key, JSON.stringify(good));

  await waitFor(() => counter(bed.pool, good.payload.counterId), { what: 'the good message' });
  const letters = await waitFor(
    () => {
      const found = deadLetters.messages.filter((message) => message.key === key);
      return found.length === 2 ? found : undefined;
    },
    { what: 'both dead letters' },
  );
  expect(letters.map((letter) => [letter.value, letter.headers['dlq-reason']])).toEqual([
    ['{"not json', 'invalid-json'],
    [JSON.stringify(unknownField), 'invalid-message'],
  ]);
  expect(letters[1]!.headers['dlq-error']).toContain('extra');
});
