import { createMessage, partitionKeyOf, topics, type MessageOf } from '@shop/contracts';
import { withTransaction } from '@shop/postgres';
import {
  createProducer,
  createTopicNamespace,
  deleteTopicNamespace,
  enqueue,
  startConsumer,
  startOutboxRelay,
  type MessageProducer,
  type OutboxRelay,
  type RunningConsumer,
} from '../src';
import { createTestBed, logger, uniqueName, type TestBed } from './support/environment';
import { waitFor } from '@shop/testkit';

let bed: TestBed;
let producer: MessageProducer;
let relay: OutboxRelay;
let consumer: RunningConsumer;
const prefix = `${uniqueName('ns')}.`;
const received: MessageOf<'UserRegistered'>[] = [];

beforeAll(async () => {
  bed = await createTestBed('SELECT 1');
  await createTopicNamespace(bed.kafka, prefix, 2);
  producer = createProducer(bed.kafka);
  await producer.connect();
  relay = startOutboxRelay({ pool: bed.pool, producer, logger, topicPrefix: prefix });
  consumer = await startConsumer({
    kafka: bed.kafka,
    pool: bed.pool,
    logger,
    groupId: uniqueName('ns-group'),
    consumerName: 'ns-test',
    topics: [topics.identityEvents],
    topicPrefix: prefix,
    handlers: {
      UserRegistered: (message) => {
        received.push(message);
        return Promise.resolve();
      },
    },
  });
}, 60_000);

afterAll(async () => {
  await consumer?.stop();
  await relay?.stop();
  await producer?.disconnect();
  await deleteTopicNamespace(bed.kafka, prefix);
  await bed?.close();
});

test('when relay and consumer share a topic prefix, then contract messages travel through the private topics and parse by their contract topic', async () => {
  const message = createMessage(
    'UserRegistered',
    { userId: crypto.randomUUID(), email: 'grace@example.com', name: 'Grace' },
    { source: 'identity', correlationId: 'ns-test' },
  );

  await withTransaction(bed.pool, (tx) =>
    enqueue(tx, { topic: topics.identityEvents, key: partitionKeyOf(message), envelope: message }),
  );

  await waitFor(() => received.some((m) => m.id === message.id), { timeoutMs: 30_000 });
  const admin = bed.kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(`${prefix}${topics.identityEvents}`);
    expect(offsets.reduce((sum, o) => sum + Number(o.high), 0)).toBe(1);
  } finally {
    await admin.disconnect();
  }
});
