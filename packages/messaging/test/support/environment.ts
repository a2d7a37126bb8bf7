import { createPool, runMigrations, type Pool } from '@shop/postgres';
import { createScratchDatabase, type ScratchDatabase } from '@shop/postgres/testing';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { createKafka, ensureTopics, messagingMigrationsDir, type KafkaClient } from '../../src';
import { uniqueName } from '@shop/testkit';

export const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: is the infrastructure up?`);
  return value;
}

export const kafkaBrokers = () => required('KAFKA_BROKERS').split(',');

export { uniqueName };

export interface TestBed {
  database: ScratchDatabase;
  pool: Pool;
  kafka: KafkaClient;
  topic: string;
  dlq: string;
  close(): Promise<void>;
}

/** A scratch database with the outbox/inbox migrated, and a fresh topic with its dead-letter twin. */
export async function createTestBed(tables: string): Promise<TestBed> {
  const database = await createScratchDatabase(required('POSTGRES_ADMIN_URL'));
  await runMigrations({ databaseUrl: database.url, dirs: [messagingMigrationsDir], logger });
  const pool = createPool({
    connectionString: database.url,
    max: 8,
    applicationName: 'messaging-test',
  });
  await pool.query(tables);
  const kafka = createKafka({ brokers: kafkaBrokers(), clientId: uniqueName('test'), logger });
  const topic = uniqueName('test.events');
  const dlq = `${topic}.dlq`;
  await ensureTopics(kafka, [
    { topic, numPartitions: 2 },
    { topic: dlq, numPartitions: 2 },
  ]);
  return {
    database,
    pool,
    kafka,
    topic,
    dlq,
    /** Once every consumer and producer of the test has stopped: leaves no topic behind. */
    async close() {
      await pool.end();
      await database.drop();
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.deleteTopics({ topics: [topic, dlq] });
      } finally {
        await admin.disconnect();
      }
    },
  };
}

/** Sum of the topic's end offsets: how many messages it has ever received. */
export async function messagesIn(kafka: KafkaClient, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, { high }) => sum + Number(high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Sum of a group's committed offsets on a topic: how many messages it has finished with. */
export async function committedBy(
  kafka: KafkaClient,
  groupId: string,
  topic: string,
): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (offsets?.partitions ?? []).reduce(
      (sum, { offset }) => sum + Math.max(0, Number(offset)),
      0,
    );
  } finally {
    await admin.disconnect();
  }
}

export interface Received {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** Reads a topic from the beginning into an array, with a plain kafkajs consumer of its own. */
export async function collect(
  topic: string,
): Promise<{ messages: Received[]; stop(): Promise<void> }> {
  const kafka = new Kafka({
    brokers: kafkaBrokers(),
    clientId: uniqueName('collector'),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({
    groupId: uniqueName('collector'),
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  const messages: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) {
        if (value !== undefined) headers[name] = value.toString();
      }
      messages.push({
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        headers,
      });
      return Promise.resolve();
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}
