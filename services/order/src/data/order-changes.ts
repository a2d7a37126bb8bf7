import { listenToChannel, type ListenerLogger } from '@shop/postgres';

/** The channel the order database's triggers announce changes on (migration 1780000000000). */
const channel = 'order_changed';

export interface OrderChanges {
  /**
   * Calls `onChange` after each committed change of the order or its saga (by any replica), and
   * after a lost connection was restored, when a change may have gone unannounced. Returns the
   * function that stops it.
   */
  subscribe(orderId: string, onChange: () => void): () => void;
  close(): Promise<void>;
}

/** One LISTEN connection per process, fanned out to the order pages watching. */
export function listenForOrderChanges(options: {
  databaseUrl: string;
  serviceName: string;
  logger: ListenerLogger;
}): OrderChanges {
  const watchers = new Map<string, Set<() => void>>();
  const notifyAll = (callbacks: Iterable<() => void>) => {
    for (const callback of callbacks) callback();
  };
  const listener = listenToChannel({
    connectionString: options.databaseUrl,
    applicationName: `${options.serviceName} (listen)`,
    channel,
    logger: options.logger,
    onNotification: (orderId) => notifyAll(watchers.get(orderId) ?? []),
    onReconnected: () => notifyAll([...watchers.values()].flatMap((set) => [...set])),
  });
  return {
    subscribe(orderId, onChange) {
      const set = watchers.get(orderId) ?? new Set();
      set.add(onChange);
      watchers.set(orderId, set);
      return () => {
        set.delete(onChange);
        if (set.size === 0) watchers.delete(orderId);
      };
    },
    close: () => listener.close(),
  };
}
