import type { KafkaClient } from './kafka';

/** A consumer group and the topics it subscribes to, by their contract names. */
export interface GroupTopics {
  group: string;
  topics: string[];
}

export interface TopicLag {
  groupId: string;
  /** The topic as the caller named it, without the namespace prefix. */
  topic: string;
  /** Messages the group has yet to read, summed over the topic's partitions. */
  lag: number;
}

export interface PartitionEnds {
  partition: number;
  low: string;
  high: string;
}

export interface PartitionCommit {
  partition: number;
  /** The next offset the group will read; "-1" when it has committed nothing there. */
  offset: string;
}

/**
 * How far behind the log end a group is on one topic. A committed offset is the next one to
 * read, so a partition's lag is `high − committed`. A partition where the group has committed
 * nothing (a group that has not started yet) counts whole, `high − low`, as does one whose
 * committed offset retention has already deleted: the consumer starts again from `low`
 * (fromBeginning), so what it still has to read starts there.
 */
export function lagOf(ends: PartitionEnds[], commits: PartitionCommit[]): number {
  const committed = new Map(commits.map(({ partition, offset }) => [partition, BigInt(offset)]));
  let lag = 0n;
  for (const { partition, low, high } of ends) {
    const next = committed.get(partition) ?? -1n;
    const from = next < BigInt(low) ? BigInt(low) : next;
    const behind = BigInt(high) - from;
    if (behind > 0n) lag += behind;
  }
  return Number(lag);
}

/**
 * Each group's lag on each of its topics, read with the admin client: the topics' watermarks and
 * the groups' committed offsets. It only reads: no group is joined, no offset moves, and a group
 * that does not exist yet shows its topics' whole content as lag.
 * With a `topicPrefix`, `<prefix><topic>` is read (see `createTopicNamespace`).
 */
export async function consumerLag(
  kafka: KafkaClient,
  groups: GroupTopics[],
  { topicPrefix = '' }: { topicPrefix?: string } = {},
): Promise<TopicLag[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = [...new Set(groups.flatMap((group) => group.topics))];
    const ends = new Map(
      await Promise.all(
        topics.map(
          async (topic) =>
            [topic, await admin.fetchTopicOffsets(`${topicPrefix}${topic}`)] as const,
        ),
      ),
    );
    const commitsByGroup = await Promise.all(
      groups.map(async ({ group, topics: own }) => {
        const fetched = await admin.fetchOffsets({
          groupId: group,
          topics: own.map((topic) => `${topicPrefix}${topic}`),
        });
        return new Map(fetched.map(({ topic, partitions }) => [topic, partitions]));
      }),
    );
    return groups.flatMap(({ group, topics: own }, index) =>
      own.map((topic) => ({
        groupId: group,
        topic,
        lag: lagOf(
          ends.get(topic) ?? [],
          commitsByGroup[index]?.get(`${topicPrefix}${topic}`) ?? [],
        ),
      })),
    );
  } finally {
    await admin.disconnect();
  }
}
