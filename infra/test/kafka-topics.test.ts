import { Kafka, logLevel } from 'kafkajs';
import { requiredTopicsForTest } from './topics-fixture';

const kafka = () =>
  new Kafka({
    clientId: 'infra-test',
    brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 1, initialRetryTime: 100 },
  });

describe('Kafka topics', () => {
  test('when the infrastructure is up, then every topic of API.md and its .dlq twin exist with several partitions', async () => {
    const admin = kafka().admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: requiredTopicsForTest });
      expect(topics.map((t) => t.name).sort()).toEqual([...requiredTopicsForTest].sort());
      for (const topic of topics) expect(topic.partitions.length).toBeGreaterThan(1);
    } finally {
      await admin.disconnect();
    }
  });

  test('when a client produces to a topic that does not exist, then it fails instead of creating it', async () => {
    const client = kafka();
    const producer = client.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    const typo = `order.event.v1-typo-${Date.now()}`;
    try {
      await expect(producer.send({ topic: typo, messages: [{ value: 'x' }] })).rejects.toThrow();
    } finally {
      await producer.disconnect();
    }
    const admin = client.admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).not.toContain(typo);
    } finally {
      await admin.disconnect();
    }
  });
});
