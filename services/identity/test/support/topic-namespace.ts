import { randomBytes } from 'node:crypto';
import { allTopics } from '@shop/contracts';
import { createTopicNamespace, deleteTopicNamespace, type KafkaClient } from '@shop/messaging';
import { waitFor } from './wait-for';

/**
 * This test file's private copy of every topic. Jest gives each test file its own module
 * registry, so each file gets its own prefix: services started by other test files never answer
 * its commands, and a fresh consumer group does not replay earlier runs.
 */
export const topicPrefix = newTopicPrefix();

export function newTopicPrefix(): string {
  return `t-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}.`;
}

const namespaces = new Map<string, Promise<void>>();

/**
 * Creates the namespace once, however many helpers of the file ask for it at the same time (the
 * service, the stand-ins and the collectors start side by side).
 */
export function topicNamespace(kafka: KafkaClient, prefix: string): Promise<void> {
  let created = namespaces.get(prefix);
  if (!created) {
    created = createServedNamespace(kafka, prefix);
    namespaces.set(prefix, created);
  }
  return created;
}

/** Once the service and every test consumer of the namespace have stopped. */
export async function dropTopicNamespace(kafka: KafkaClient, prefix: string): Promise<void> {
  namespaces.delete(prefix);
  await deleteTopicNamespace(kafka, prefix);
}

/**
 * While other test files create and delete their namespaces, the broker answers
 * UNKNOWN_TOPIC_OR_PARTITION for a moment after creating topics: kafkajs's createTopics gives up
 * waiting for their leaders, and a consumer subscribing then fails. So retry the (idempotent)
 * creation, then wait until the broker serves every topic.
 */
async function createServedNamespace(kafka: KafkaClient, prefix: string): Promise<void> {
  const what = `the topic namespace ${prefix}`;
  await waitFor(() => createTopicNamespace(kafka, prefix, 2).then(() => true), { what });
  const names = allTopics().map((topic) => `${prefix}${topic}`);
  await waitFor(() => everyPartitionHasALeader(kafka, names), { what });
}

async function everyPartitionHasALeader(kafka: KafkaClient, names: string[]): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: names });
    return topics.every(
      ({ partitions }) => partitions.length > 0 && partitions.every(({ leader }) => leader >= 0),
    );
  } finally {
    await admin.disconnect();
  }
}
