import { allTopics } from '@shop/contracts';
import { sleep } from '@shop/postgres';
import type { Logger } from 'pino';
import type { KafkaClient } from './kafka';

type Admin = ReturnType<KafkaClient['admin']>;

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor?: number;
}

/**
 * Creates the topics that do not exist yet (the broker does not auto-create them) and waits until
 * every partition has a leader that serves it. kafkajs' own `waitForLeaders` retries only
 * LEADER_NOT_AVAILABLE, but a KRaft broker answers UNKNOWN_TOPIC_OR_PARTITION for a moment after
 * creating a topic (tulios/kafkajs#815, KAFKA-15780), and even once its metadata names a leader,
 * that broker may still answer NOT_LEADER_OR_FOLLOWER until it has applied the change: a consumer
 * joining then fails its first offset lookups and rejoins, re-reading what it had read, and a
 * producer retries. So the wait is done here, until the leaders answer an offset lookup.
 */
export async function ensureTopics(
  kafka: KafkaClient,
  topics: TopicSpec[],
  { timeoutMs = 30_000 } = {},
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: false,
      topics: topics.map(({ topic, numPartitions, replicationFactor = 1 }) => ({
        topic,
        numPartitions,
        replicationFactor,
      })),
    });
    const names = topics.map(({ topic }) => topic);
    const deadline = Date.now() + timeoutMs;
    while (!(await served(admin, names))) {
      if (Date.now() > deadline) throw new Error(`topics not ready after ${timeoutMs} ms`);
      await sleep(100);
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until topics that someone else creates (the deployment's topics job) exist and are served
 * by their leaders, Kafka itself possibly still starting: a consumer that subscribes before then
 * fails with UNKNOWN_TOPIC_OR_PARTITION, and a process that exits on it is restarted with an
 * ever longer back-off (Kubernetes' CrashLoopBackOff) instead of starting the moment they exist.
 */
export async function waitForTopics(
  kafka: KafkaClient,
  names: string[],
  { timeoutMs, logger }: { timeoutMs: number; logger: Logger },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let waitingSaid = false;
  for (;;) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      if (await served(admin, names)) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    if (Date.now() > deadline) {
      throw new Error(`topics ${names.join(', ')} did not appear within ${timeoutMs} ms`);
    }
    if (!waitingSaid) {
      logger.warn({ topics: names, timeoutMs }, 'waiting for the topics to be created');
      waitingSaid = true;
    }
    await sleep(1_000);
  }
}

/** Whether every topic exists and each partition's leader answers for it. */
async function served(admin: Admin, names: string[]): Promise<boolean> {
  try {
    const { topics: found } = await admin.fetchTopicMetadata({ topics: names });
    const led = found.every(
      (topic) => topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0),
    );
    return led && found.length === names.length && (await servedByTheirLeaders(admin, names));
  } catch (error) {
    if (isTransientMetadataError(error)) return false;
    throw error;
  }
}

/** An offset lookup is answered by each partition's leader itself, not from metadata. */
async function servedByTheirLeaders(admin: Admin, topics: string[]): Promise<boolean> {
  try {
    for (const topic of topics) await admin.fetchTopicOffsets(topic);
    return true;
  } catch (error) {
    if (isTransientMetadataError(error)) return false;
    throw error;
  }
}

function isTransientMetadataError(error: unknown): boolean {
  // kafkajs gives up after its own retries with the last error inside.
  const failure = error as { type?: unknown; originalError?: { type?: unknown } } | null;
  const type = failure?.type ?? failure?.originalError?.type;
  return (
    type === 'UNKNOWN_TOPIC_OR_PARTITION' ||
    type === 'LEADER_NOT_AVAILABLE' ||
    type === 'NOT_LEADER_FOR_PARTITION'
  );
}

/**
 * A private copy of every contract topic and its dead-letter twin, named `<prefix><topic>`.
 * Component tests run each service against their own namespace, so services started by tests
 * that run at the same time never answer each other's commands, and a fresh consumer group does
 * not replay every earlier run's history. Production uses no prefix.
 */
export async function createTopicNamespace(
  kafka: KafkaClient,
  prefix: string,
  numPartitions = 3,
): Promise<void> {
  await ensureTopics(
    kafka,
    allTopics().map((topic) => ({ topic: `${prefix}${topic}`, numPartitions })),
  );
}

/** Deletes a namespace's topics once the tests that used it are done. */
export async function deleteTopicNamespace(kafka: KafkaClient, prefix: string): Promise<void> {
  if (!prefix) throw new Error('refusing to delete the un-prefixed (production) topics');
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const mine = allTopics()
      .map((topic) => `${prefix}${topic}`)
      .filter((topic) => existing.has(topic));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine });
  } finally {
    await admin.disconnect();
  }
}
