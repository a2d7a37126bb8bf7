import { randomUUID } from 'node:crypto';
import type { KafkaClient } from './kafka';
import { createProducer } from './kafka';

/** A dead-lettered message as the DLQ holds it: the original bytes plus what went wrong where. */
export interface DeadLetter {
  /** Where it sits in the dead-letter topic: `<partition>:<offset>` identifies it for replay. */
  dlqTopic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  /** The original headers (traceparent among them), without the dlq-* ones. */
  headers: Record<string, string>;
  reason: string;
  error: string;
  attempts: number;
  originalTopic: string;
  consumer: string;
  failedAt: string;
}

const dlqHeader = /^dlq-/;

function headersOf(
  raw: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined,
) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) headers[name] = last.toString();
  }
  return headers;
}

/**
 * Reads a dead-letter topic from the beginning up to its current end, without joining a group
 * that commits anything: inspecting the DLQ never moves anyone's offsets.
 */
export async function readDeadLetters(kafka: KafkaClient, dlqTopic: string): Promise<DeadLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, bigint>();
  try {
    for (const { partition, high } of await admin.fetchTopicOffsets(dlqTopic)) {
      if (BigInt(high) > 0n) ends.set(partition, BigInt(high));
    }
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return [];

  const letters: DeadLetter[] = [];
  const consumer = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [dlqTopic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const remaining = new Set(ends.keys());
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const all = headersOf(message.headers);
            letters.push({
              dlqTopic,
              partition,
              offset: message.offset,
              key: message.key?.toString() ?? null,
              value: message.value?.toString() ?? null,
              headers: Object.fromEntries(
                Object.entries(all).filter(([name]) => !dlqHeader.test(name)),
              ),
              reason: all['dlq-reason'] ?? 'unknown',
              error: all['dlq-error'] ?? '',
              attempts: Number(all['dlq-attempts'] ?? 0),
              originalTopic: all['dlq-original-topic'] ?? dlqTopic.replace(/\.dlq$/, ''),
              consumer: all['dlq-consumer'] ?? 'unknown',
              failedAt: all['dlq-failed-at'] ?? '',
            });
            if (BigInt(message.offset) + 1n >= ends.get(partition)!) remaining.delete(partition);
            if (remaining.size === 0) resolve();
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return letters.sort(
    (a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
  );
}

/**
 * Puts a dead letter back on the topic it came from, after a fix: by default byte for byte (the
 * consumer's code was fixed), or with a corrected value (the message was). The consumers' inbox
 * makes a second replay of the same message id a no-op.
 */
export async function replayDeadLetter(
  kafka: KafkaClient,
  letter: DeadLetter,
  { value = letter.value }: { value?: string | null } = {},
): Promise<void> {
  const producer = createProducer(kafka);
  await producer.connect();
  try {
    await producer.publish([
      {
        topic: letter.originalTopic,
        key: letter.key,
        value,
        headers: {
          ...letter.headers,
          'replayed-from': `${letter.dlqTopic}/${letter.partition}:${letter.offset}`,
        },
      },
    ]);
  } finally {
    await producer.disconnect();
  }
}

/**
 * How many messages each dead-letter topic holds (log end minus log start, over its partitions),
 * from the topics' offsets alone: nothing is read, and no group is joined.
 */
export async function countDeadLetters(
  kafka: KafkaClient,
  dlqTopics: readonly string[],
): Promise<Map<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const counts = new Map<string, number>();
    for (const topic of dlqTopics) {
      const partitions = await admin.fetchTopicOffsets(topic);
      counts.set(
        topic,
        partitions.reduce((sum, { high, low }) => sum + Number(BigInt(high) - BigInt(low)), 0),
      );
    }
    return counts;
  } finally {
    await admin.disconnect();
  }
}
