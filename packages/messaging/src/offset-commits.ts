import type { Logger } from 'pino';

/** Where a partition's next read starts: one past the last message applied. */
export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

export interface OffsetCommitsOptions {
  /** Sends the offsets to Kafka in one request; rejects when the broker refuses them. */
  commit: (offsets: PartitionOffset[]) => Promise<void>;
  /**
   * How long an applied offset may wait for the next commit. 0 commits at once, after every
   * batch. Kafka's own Java consumer commits every 5 s by default (`auto.commit.interval.ms`).
   */
  intervalMs: number;
  logger: Logger;
}

export interface OffsetCommits {
  /**
   * Records that everything before `offset` is applied. With an interval it is committed within
   * it, with whatever other partitions applied meanwhile; without one, now (and a refusal
   * rejects, for kafkajs to rejoin the group).
   */
  applied(position: PartitionOffset): Promise<void>;
  /** Commits what is waiting, now: before a rebalance takes partitions away. */
  flush(): Promise<void>;
  /** Commits what is waiting, now, and schedules no more: at a stop, before leaving the group. */
  stop(): Promise<void>;
}

/**
 * Offsets committed in one request per interval instead of one per batch. At the shop's rates a
 * fetched batch mostly holds one message, so committing after each batch cost the broker a
 * request and a record in `__consumer_offsets` for nearly every message consumed: 13 per
 * checkout (docs/performance.md). What waits is only ever an offset whose messages are all
 * applied, their inbox rows committed, so the guarantee is the one the inbox already gives:
 * a crash (or a rebalance) before the commit redelivers at most an interval's messages, and the
 * inbox skips each.
 *
 * A commit that fails on the timer is logged and its offsets wait for the next one, unless a
 * later offset of the same partition has been applied meanwhile. After a rebalance a late commit
 * of a partition this member lost can only name messages it applied, so at worst the next owner
 * reads some of them again.
 */
export function offsetCommits(options: OffsetCommitsOptions): OffsetCommits {
  const waiting = new Map<string, PartitionOffset>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  /** The last commit sent; the next waits for it, so two never race for one partition. */
  let inFlight: Promise<void> = Promise.resolve();

  const keyOf = ({ topic, partition }: PartitionOffset) => `${partition}:${topic}`;

  function commitWaiting(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    const offsets = [...waiting.values()];
    waiting.clear();
    if (offsets.length === 0) return inFlight.catch(() => undefined);
    const sent = inFlight.catch(() => undefined).then(() => options.commit(offsets));
    inFlight = sent;
    return sent.catch((error: unknown) => {
      for (const offset of offsets) {
        if (!waiting.has(keyOf(offset))) waiting.set(keyOf(offset), offset);
      }
      throw error;
    });
  }

  function schedule(): void {
    if (stopped) return;
    timer ??= setTimeout(() => {
      commitWaiting().catch((error: unknown) => {
        options.logger.warn({ err: error }, 'offset commit refused; the offsets wait for the next');
        schedule();
      });
    }, options.intervalMs);
  }

  return {
    async applied(position) {
      waiting.set(keyOf(position), position);
      if (options.intervalMs === 0) return commitWaiting();
      schedule();
    },
    flush: commitWaiting,
    stop() {
      stopped = true;
      return commitWaiting();
    },
  };
}
