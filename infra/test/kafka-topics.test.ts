import { ConfigResourceTypes, ConfigSource, Kafka, logLevel, type Admin } from 'kafkajs';
import { keepOffsetsCompactable, offsetsSegmentBytes } from '../src/kafka';
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

  describe('the committed offsets (__consumer_offsets)', () => {
    const topic = '__consumer_offsets';

    /** The topic's own overrides, by name. */
    async function overrides(admin: Admin): Promise<Record<string, string>> {
      const described = await admin.describeConfigs({
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
        includeSynonyms: false,
      });
      return Object.fromEntries(
        described.resources[0]!.configEntries.filter(
          (entry) => entry.configSource === ConfigSource.TOPIC_CONFIG,
        ).map((entry) => [entry.configName, entry.configValue]),
      );
    }

    async function setOverrides(admin: Admin, entries: Record<string, string>): Promise<void> {
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configEntries: Object.entries(entries).map(([name, value]) => ({ name, value })),
          },
        ],
      });
    }

    test('when a broker created before the setting keeps them in 100 MiB segments, then the start gives it 1 MiB ones, once, and keeps its other overrides', async () => {
      const admin = kafka().admin();
      await admin.connect();
      try {
        const topics = new Set(await admin.listTopics());
        const current = await overrides(admin);
        expect(current['cleanup.policy']).toBe('compact');
        const others = Object.fromEntries(
          Object.entries(current).filter(([name]) => name !== 'segment.bytes'),
        );
        await setOverrides(admin, { ...others, 'segment.bytes': String(100 * 1024 * 1024) });

        const lines: string[] = [];
        await keepOffsetsCompactable(admin, topics, (line) => lines.push(line));
        await keepOffsetsCompactable(admin, topics, (line) => lines.push(line));

        expect(await overrides(admin)).toEqual({
          ...others,
          'segment.bytes': String(offsetsSegmentBytes),
        });
        expect(lines).toHaveLength(1);
      } finally {
        await admin.disconnect();
      }
    });
  });
});
