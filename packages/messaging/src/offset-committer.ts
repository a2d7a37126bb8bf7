export interface PartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read: Kafka's committed offset, one past the last message handled. */
  offset: string;
}

export interface OffsetCommitter {
  /** Records that everything before `offset` is handled; committed within the interval. */
  handled(position: PartitionOffset): void;
  /** Commits what is recorded now and waits for it, e.g. before leaving the group. */
  flush(): Promise<void>;
}

export interface OffsetCommitterOptions {
  /** One OffsetCommit request with every partition's latest offset. */
  commit: (positions: PartitionOffset[]) => Promise<void>;
  /** How long a handled message may wait for its offset to be committed. */
  intervalMs: number;
  /** A refused commit: the messages are read again by whoever owns the partition next. */
  onRefused: (error: unknown, positions: PartitionOffset[]) => void;
}

/**
 * Offsets committed on a timer, many in one request, rather than one request per message: a
 * commit is a write to the broker's `__consumer_offsets` log, and a consumer handling dozens of
 * messages a second spent a request and a log append on each. Only the latest offset of each
 * partition is sent (a commit means "everything before this is handled").
 *
 * Nothing can be lost by committing later, only read again: a crash, or a rebalance that moves a
 * partition before its offset is committed, hands the last messages (at most `intervalMs` worth)
 * to the next owner, and the inbox, written in each handler's own transaction, makes their second
 * delivery a no-op. Commits never overtake each other: each waits for the one before it.
 */
export function offsetCommitter(options: OffsetCommitterOptions): OffsetCommitter {
  const pending = new Map<string, PartitionOffset>();
  let timer: NodeJS.Timeout | undefined;
  let lastCommit: Promise<void> = Promise.resolve();

  function commitPending(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    if (pending.size > 0) {
      const positions = [...pending.values()];
      pending.clear();
      lastCommit = lastCommit.then(() =>
        options.commit(positions).catch((error: unknown) => options.onRefused(error, positions)),
      );
    }
    return lastCommit;
  }

  return {
    handled(position) {
      pending.set(`${position.topic}\u0000${position.partition}`, position);
      // Unreferenced: a process ending without stop() just leaves these messages to be read again.
      timer ??= setTimeout(() => void commitPending(), options.intervalMs).unref();
    },
    flush: commitPending,
  };
}
