import type { KafkaClient } from './kafka';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor?: number;
}

/** Creates the topics that do not exist yet (the broker does not auto-create them). */
export async function ensureTopics(kafka: KafkaClient, topics: TopicSpec[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map(({ topic, numPartitions, replicationFactor = 1 }) => ({
        topic,
        numPartitions,
        replicationFactor,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** The dead-letter twin of a topic (API.md: `<topic>.dlq`). */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlq`;
}
