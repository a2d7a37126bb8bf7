import { randomBytes } from 'node:crypto';
import { startTestIssuer, type TestIssuer } from '@shop/auth/testing';
import {
  allTopics,
  createMessage,
  partitionKeyOf,
  topicOf,
  type Message,
  type MessageType,
  type PayloadOf,
} from '@shop/contracts';
import {
  createKafka,
  createProducer,
  createTopicNamespace,
  deleteTopicNamespace,
  messagingMigrationsDir,
  type KafkaClient,
  type MessageProducer,
} from '@shop/messaging';
import { createPool, runMigrations, type Pool } from '@shop/postgres';
import { createScratchDatabase, type ScratchDatabase } from '@shop/postgres/testing';
import { createLogger } from '@shop/service-kit';
import { readConfig } from '../../src/config';
import { migrationsDir, startService, type RunningService } from '../../src/service';
import { waitFor } from '@shop/testkit';
import { uniqueName } from '@shop/testkit';

export const logger = createLogger({
  service: 'inventory-test',
  level: (process.env.TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent',
});

export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: is the infrastructure up?`);
  return value;
}

export { uniqueName };

/**
 * This test file's private copy of every topic. Jest gives each test file its own module
 * registry, so each file gets its own prefix: inventories started by other test files never
 * answer our commands, and a fresh group does not replay earlier runs.
 */
export const topicPrefix = `${uniqueName('t')}.`;

/** The name a contract topic has in this file's namespace, i.e. on the wire. */
export function namespaced(topic: string): string {
  return `${topicPrefix}${topic}`;
}

function testKafka(): KafkaClient {
  return createKafka({
    brokers: required('KAFKA_BROKERS').split(','),
    clientId: uniqueName('inventory-test'),
    logger,
  });
}

let namespace: Promise<void> | undefined;

/**
 * Creates the namespace once, however many helpers of the file ask for it at the same time (the
 * service, the producer and the collectors start side by side).
 */
function ensureTopicNamespace(): Promise<void> {
  namespace ??= createNamespace(testKafka());
  return namespace;
}

/**
 * createTopics' wait for leaders gives up on UNKNOWN_TOPIC_OR_PARTITION, which a KRaft broker
 * answers while its metadata cache still lags the controller (tulios/kafkajs#815, KAFKA-15780).
 * Asked again, the topics exist already; then only the metadata has to catch up.
 */
async function createNamespace(kafka: KafkaClient): Promise<void> {
  await waitFor(
    async () => {
      await createTopicNamespace(kafka, topicPrefix, 2);
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.fetchTopicMetadata({ topics: allTopics().map(namespaced) });
        return true;
      } finally {
        await admin.disconnect();
      }
    },
    { timeoutMs: 20_000, intervalMs: 250, what: `topic namespace ${topicPrefix}` },
  );
}

/** Once the service and every test consumer of the namespace have stopped. */
async function dropTopicNamespace(): Promise<void> {
  namespace = undefined;
  await deleteTopicNamespace(testKafka(), topicPrefix);
}

export function uniqueSku(): string {
  return `SKU-${randomBytes(5).toString('hex').toUpperCase()}`;
}

/** A scratch database with inventory's and the messaging tables, for tests of the use cases. */
export async function createMigratedDatabase(): Promise<{
  database: ScratchDatabase;
  pool: Pool;
  close(): Promise<void>;
}> {
  const database = await createScratchDatabase(required('POSTGRES_ADMIN_URL'));
  await runMigrations({
    databaseUrl: database.url,
    dirs: [migrationsDir, messagingMigrationsDir],
    logger,
  });
  const pool = createPool({
    connectionString: database.url,
    max: 20,
    applicationName: 'inventory-test',
  });
  return {
    database,
    pool,
    async close() {
      await pool.end();
      await database.drop();
    },
  };
}

export interface InventoryUnderTest {
  service: RunningService;
  issuer: TestIssuer;
  /** The service's database, to look at what it stored. */
  pool: Pool;
  close(): Promise<void>;
}

/**
 * The service in-process on port 0, with a scratch database, a fresh group, a test issuer and the
 * file's topic namespace (dropped by `close()`, so stop the file's collectors first).
 */
export async function startInventory(
  env: Record<string, string> = {},
): Promise<InventoryUnderTest> {
  const database = await createScratchDatabase(required('POSTGRES_ADMIN_URL'));
  const issuer = await startTestIssuer();
  await ensureTopicNamespace();
  const config = readConfig({
    NODE_ENV: 'test',
    PORT: '1',
    DATABASE_URL: database.url,
    KAFKA_BROKERS: required('KAFKA_BROKERS'),
    KAFKA_CONSUMER_GROUP: uniqueName('inventory-test'),
    KAFKA_TOPIC_PREFIX: topicPrefix,
    JWKS_URL: issuer.jwksUrl,
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    ...env,
  });
  const service = await startService(
    { ...config, PORT: 0 },
    {
      logger,
      consumer: {
        sessionTimeoutMs: 10_000,
        heartbeatIntervalMs: 1_000,
        backoff: { baseMs: 100, maxMs: 500 },
      },
    },
  );
  const pool = createPool({
    connectionString: database.url,
    max: 2,
    applicationName: 'inventory-test',
  });
  return {
    service,
    issuer,
    pool,
    async close() {
      await service.stop();
      await pool.end();
      await issuer.close();
      await database.drop();
      await dropTopicNamespace();
    },
  };
}

/**
 * Plays the catalog and the order saga: produces straight to the file's namespace. Takes contract
 * topic names; the prefix is added here.
 */
export async function startProducer(): Promise<{
  send<T extends MessageType>(
    type: T,
    payload: PayloadOf<T>,
    context?: { id?: string },
  ): Promise<Message>;
  sendRaw(topic: string, key: string, value: string): Promise<void>;
  stop(): Promise<void>;
}> {
  await ensureTopicNamespace();
  const producer: MessageProducer = createProducer(testKafka());
  await producer.connect();
  return {
    async send(type, payload, context = {}) {
      const message = createMessage(type, payload, {
        source: 'inventory-test',
        correlationId: partitionKeyOf({ type, payload }),
        ...(context.id === undefined ? {} : { id: context.id }),
      });
      await producer.publish([
        {
          topic: namespaced(topicOf(type)),
          key: partitionKeyOf(message),
          value: JSON.stringify(message),
        },
      ]);
      return message;
    },
    async sendRaw(topic, key, value) {
      await producer.publish([{ topic: namespaced(topic), key, value }]);
    },
    stop: () => producer.disconnect(),
  };
}

export interface Received {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export interface Collector {
  messages: Received[];
  /** Parsed envelopes, for topics carrying the shop's messages. */
  envelopes(): Message[];
  stop(): Promise<void>;
}

/**
 * Everything the namespace's copy of a contract topic receives, read from the beginning by a
 * group of its own; callers still filter by their own ids.
 */
export async function collect(topic: string): Promise<Collector> {
  await ensureTopicNamespace();
  const consumer = testKafka().consumer({
    groupId: uniqueName('collector'),
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  const messages: Received[] = [];
  const envelopes: Message[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [namespaced(topic)], fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) {
        if (value !== undefined) headers[name] = value.toString();
      }
      const value = message.value?.toString() ?? null;
      messages.push({ key: message.key?.toString() ?? null, value, headers });
      const envelope = parseJson(value);
      if (envelope) envelopes.push(envelope);
      return Promise.resolve();
    },
  });
  return {
    messages,
    envelopes: () => envelopes,
    stop: () => consumer.disconnect(),
  };
}

function parseJson(value: string | null): Message | undefined {
  try {
    return JSON.parse(value ?? '') as Message;
  } catch {
    return undefined;
  }
}
