import { randomBytes } from 'node:crypto';
import type { KafkaClient } from './kafka';
import { createTopicNamespace, deleteTopicNamespace } from './topics';

/**
 * For component tests: a private copy of every contract topic per test file, so services started
 * by other test files never answer its commands and a fresh consumer group replays no history.
 * Keep the prefix in a module of the test's own support folder (`export const topicPrefix =
 * newTopicPrefix()`): jest gives each test file its own module registry, so each file gets one.
 */
export function newTopicPrefix(): string {
  return `t-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}.`;
}

const namespaces = new Map<string, Promise<void>>();

/** Creates the namespace once, however many helpers of the file ask for it at the same time. */
export function topicNamespace(kafka: KafkaClient, prefix: string): Promise<void> {
  let created = namespaces.get(prefix);
  if (!created) {
    created = createTopicNamespace(kafka, prefix, 2);
    namespaces.set(prefix, created);
    created.catch(() => namespaces.delete(prefix));
  }
  return created;
}

/** Once the service and every test consumer of the namespace have stopped. */
export async function dropTopicNamespace(kafka: KafkaClient, prefix: string): Promise<void> {
  namespaces.delete(prefix);
  await deleteTopicNamespace(kafka, prefix);
}
