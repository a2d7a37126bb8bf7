import { randomUUID } from 'node:crypto';
import { allTopics, createMessage, dlqTopic, topics } from '@shop/contracts';
import { createKafka } from '../src';
import { kafkaTestKit, type KafkaTestKit } from '../src/testing';
import { kafkaBrokers, logger, uniqueName } from './support/environment';
import { waitFor } from '@shop/testkit';

let kit: KafkaTestKit;

beforeAll(() => {
  kit = kafkaTestKit({ clientId: 'messaging-test', logger });
});

afterAll(async () => {
  await kit?.drop();
});

async function namespaceTopics(prefix: string): Promise<string[]> {
  const admin = createKafka({
    brokers: kafkaBrokers(),
    clientId: uniqueName('test'),
    logger,
  }).admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((topic) => topic.startsWith(prefix)).sort();
  } finally {
    await admin.disconnect();
  }
}

test('when the kit is ready, then every contract topic and its dead-letter twin exist under its prefix', async () => {
  await kit.ready();

  expect(await namespaceTopics(kit.prefix)).toEqual(allTopics().map(kit.namespaced).sort());
});

test('when a message and a raw record are published, then a collector reads both by their contract topic and key', async () => {
  const userId = randomUUID();
  const registered = createMessage(
    'UserRegistered',
    { userId, email: 'ada@example.com', name: 'Ada' },
    { source: 'identity', correlationId: userId },
  );
  const collector = await kit.collect(topics.identityEvents, dlqTopic(topics.identityEvents));

  await kit.publish(registered, {
    topic: dlqTopic(topics.identityEvents),
    key: userId,
    value: '{not json',
  });

  const received = await waitFor(() => {
    const ours = collector.withKey(userId);
    return ours.length === 2 && ours;
  });
  expect(received).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ topic: topics.identityEvents, value: JSON.stringify(registered) }),
      expect.objectContaining({ topic: dlqTopic(topics.identityEvents), value: '{not json' }),
    ]),
  );
  expect(collector.envelopes('UserRegistered', userId)).toEqual([registered]);
});

test('when the kit is dropped, then every topic of its namespace is gone', async () => {
  await kit.ready();

  await kit.drop();

  await waitFor(async () => (await namespaceTopics(kit.prefix)).length === 0, {
    what: `the topics of ${kit.prefix} to be deleted`,
  });
});
