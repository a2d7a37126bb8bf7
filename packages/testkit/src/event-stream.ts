export interface ReceivedEvent {
  event: string;
  data: unknown;
}

export interface OpenedStream {
  status: number;
  headers: Headers;
  /** Events in arrival order; grows while the stream is open. */
  events: ReceivedEvent[];
  /** Resolves once an event matching `predicate` has arrived (or rejects at the timeout). */
  next(predicate: (event: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  /** Resolves when the server has ended the stream. */
  ended: Promise<void>;
  close(): void;
}

/**
 * Opens a server-sent events stream with fetch and collects its events (data parsed as JSON), so
 * a test can wait for the one it expects. A non-2xx answer resolves with no events.
 */
export async function openEventStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<OpenedStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const events: ReceivedEvent[] = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
  };

  const ended = (async () => {
    if (!response.ok || !response.body) return;
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body) {
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const lines = block.split('\n').filter((line) => line !== '' && !line.startsWith(':'));
          const field = (name: string) =>
            lines
              .filter((line) => line.startsWith(`${name}:`))
              .map((line) => line.slice(name.length + 1).trim());
          const data = field('data');
          if (data.length === 0) continue;
          events.push({ event: field('event')[0] ?? 'message', data: JSON.parse(data.join('\n')) });
          wake();
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      wake();
    }
  })();
  let done = false;
  void ended.then(
    () => (done = true),
    () => (done = true),
  );

  return {
    status: response.status,
    headers: response.headers,
    events,
    ended,
    close: () => controller.abort(),
    next(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(predicate);
          if (found) finish(() => resolve(found));
          else if (done) finish(() => reject(new Error('the stream ended without that event')));
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`no such event within ${timeoutMs} ms`))),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
  };
}
