import { createMessage, partitionKeyOf, topics, type MessageOf } from '@shop/contracts';
import {
  createProducer,
  createTopicNamespace,
  deleteTopicNamespace,
  readDeadLetters,
  replayDeadLetter,
  startConsumer,
  type MessageProducer,
  type RunningConsumer,
} from '../src';
import { createTestBed, logger, uniqueName, type TestBed } from './support/environment';
import { waitFor } from '@shop/testkit';

let bed: TestBed;
let producer: MessageProducer;
let consumer: RunningConsumer;
const prefix = `${uniqueName('dlq')}.`;
const topic = `${prefix}${topics.identityEvents}`;
const applied: MessageOf<'UserRegistered'>[] = [];

beforeAll(async () => {
  bed = await createTestBed('SELECT 1');
  await createTopicNamespace(bed.kafka, prefix, 2);
  producer = createProducer(bed.kafka);
  await producer.connect();
  consumer = await startConsumer({
    kafka: bed.kafka,
    pool: bed.pool,
    logger,
    groupId: uniqueName('dlq-group'),
    consumerName: 'welcome-mailer',
    topics: [topics.identityEvents],
    topicPrefix: prefix,
    handlers: {
      UserRegistered: (message) => {
        applied.push(message);
        return Promise.resolve();
      },
    },
  });
}, 60_000);

afterAll(async () => {
  await consumer?.stop();
  await producer?.disconnect();
  await deleteTopicNamespace(bed.kafka, prefix);
  await bed?.close();
});

test('when a poison message is dead-lettered, then it can be read, replayed once fixed, and a second replay has no effect', async () => {
  const good = createMessage(
    'UserRegistered',
    { userId: crypto.randomUUID(), email: 'ada@example.com', name: 'Ada' },
    { source: 'identity', correlationId: 'dlq-test' },
  );
  const poison = { ...good, payload: { userId: good.payload.userId, name: 'Ada' } };
  await producer.publish([{ topic, key: partitionKeyOf(good), value: JSON.stringify(poison) }]);

  const letters = await waitFor(
    async () => {
      const found = await readDeadLetters(bed.kafka, `${topic}.dlq`);
      return found.length > 0 ? found : undefined;
    },
    { timeoutMs: 30_000 },
  );
  const [letter] = letters;
  expect(letter).toMatchObject({
    reason: 'invalid-message',
    originalTopic: topic,
    consumer: 'welcome-mailer',
    key: good.payload.userId,
  });
  expect(letter!.error).toMatch(/email/);
  expect(applied).toEqual([]);

  await replayDeadLetter(bed.kafka, letter!, { value: JSON.stringify(good) });
  await waitFor(() => applied.length === 1, { timeoutMs: 30_000 });
  await replayDeadLetter(bed.kafka, letter!, { value: JSON.stringify(good) });
  // The second copy is read and skipped by the inbox: a marker sent after it proves it was read.
  const marker = createMessage(
    'UserRegistered',
    { userId: crypto.randomUUID(), email: 'grace@example.com', name: 'Grace' },
    { source: 'identity', correlationId: 'dlq-test' },
  );
  await producer.publish([{ topic, key: good.payload.userId, value: JSON.stringify(marker) }]);
  await waitFor(() => applied.some((m) => m.id === marker.id), { timeoutMs: 30_000 });

  expect(applied.filter((m) => m.id === good.id)).toHaveLength(1);
});
