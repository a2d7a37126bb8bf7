import { createMessage, partitionKeyOf, topics, type MessageOf } from '@shop/contracts';
import {
  consumerLag,
  createProducer,
  createTopicNamespace,
  deleteTopicNamespace,
  startConsumer,
  type RunningConsumer,
} from '../src';
import { lagOf } from '../src/consumer-lag';
import { createTestBed, logger, messagesIn, uniqueName, type TestBed } from './support/environment';
import { waitFor } from '@shop/testkit';

describe('the lag of one topic', () => {
  it('when a group has committed nothing on a partition, then the whole partition counts', () => {
    const lag = lagOf(
      [
        { partition: 0, low: '0', high: '4' },
        { partition: 1, low: '2', high: '5' },
      ],
      [
        { partition: 0, offset: '-1' },
        { partition: 1, offset: '-1' },
      ],
    );

    expect(lag).toBe(7);
  });

  it('when a group has committed, then what lies between its offset and the log end counts', () => {
    const lag = lagOf(
      [
        { partition: 0, low: '0', high: '10' },
        { partition: 1, low: '0', high: '3' },
      ],
      [
        { partition: 0, offset: '7' },
        { partition: 1, offset: '3' },
      ],
    );

    expect(lag).toBe(3);
  });

  it('when retention deleted past the committed offset, then only what still exists counts', () => {
    expect(lagOf([{ partition: 0, low: '8', high: '10' }], [{ partition: 0, offset: '5' }])).toBe(
      2,
    );
  });
});

describe('consumer lag against Kafka', () => {
  let bed: TestBed;
  let consumer: RunningConsumer | undefined;
  const prefix = `${uniqueName('lag')}.`;
  const group = uniqueName('lag-group');
  const applied: MessageOf<'UserRegistered'>[] = [];

  beforeAll(async () => {
    bed = await createTestBed('SELECT 1');
    await createTopicNamespace(bed.kafka, prefix, 2);
  }, 60_000);

  afterAll(async () => {
    await consumer?.stop();
    await deleteTopicNamespace(bed.kafka, prefix);
    await bed?.close();
  });

  it('when messages wait for a group that has not started, then its lag is their number; once its consumer has applied them, then 0', async () => {
    const messages = Array.from({ length: 5 }, (_, n) =>
      createMessage(
        'UserRegistered',
        { userId: crypto.randomUUID(), email: `user-${n}@example.com`, name: `User ${n}` },
        { source: 'identity', correlationId: 'lag-test' },
      ),
    );
    const producer = createProducer(bed.kafka);
    await producer.connect();
    await producer.publish(
      messages.map((message) => ({
        topic: `${prefix}${topics.identityEvents}`,
        key: partitionKeyOf(message),
        value: JSON.stringify(message),
      })),
    );
    await producer.disconnect();
    const groups = [{ group, topics: [topics.identityEvents] }];
    // Usually 5; more when kafkajs retried a batch that a fresh topic half accepted (it has no
    // idempotent producer, see createProducer): lag counts what the log holds.
    const inTopic = await messagesIn(bed.kafka, `${prefix}${topics.identityEvents}`);

    const before = await consumerLag(bed.kafka, groups, { topicPrefix: prefix });

    consumer = await startConsumer({
      kafka: bed.kafka,
      pool: bed.pool,
      logger,
      groupId: group,
      consumerName: 'lag-test',
      topics: [topics.identityEvents],
      topicPrefix: prefix,
      handlers: {
        UserRegistered: (message) => {
          applied.push(message);
          return Promise.resolve();
        },
      },
    });
    await waitFor(() => applied.length === messages.length, { timeoutMs: 30_000 });
    const after = await waitFor(
      async () => {
        const lags = await consumerLag(bed.kafka, groups, { topicPrefix: prefix });
        return lags.every(({ lag }) => lag === 0) ? lags : undefined;
      },
      { timeoutMs: 30_000, what: 'the committed offsets to reach the log end' },
    );

    expect(inTopic).toBeGreaterThanOrEqual(messages.length);
    expect(before).toEqual([{ groupId: group, topic: topics.identityEvents, lag: inTopic }]);
    expect(after).toEqual([{ groupId: group, topic: topics.identityEvents, lag: 0 }]);
  }, 60_000);
});
