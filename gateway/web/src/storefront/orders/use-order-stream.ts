import type { Order, OrderSnapshot, SagaTimeline } from '@shop/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import { readEventStream } from '../../api/event-stream';
import { useSession } from '../../api/session';
import { useUnauthorizedHandler } from '../session/use-authed-api';

/**
 * connecting: opening the stream. live: the stream is open and sends each change. final: the
 * server said `end` (the saga settled). disconnected: the stream failed; what is shown was read
 * once instead, and `reconnect()` opens the stream again.
 */
export type StreamPhase = 'connecting' | 'live' | 'final' | 'disconnected';

export interface OrderStream {
  snapshot: OrderSnapshot | undefined;
  phase: StreamPhase;
  /** Why the stream is not open (the reason it failed), if it failed. */
  failure: unknown;
  /** When the shown snapshot arrived. */
  receivedAt: number | undefined;
  /** When the stream will be opened again on its own, after a failure that may pass. */
  retryAt: number | undefined;
  reconnect: () => void;
}

/**
 * Follows an order's saga live over `GET /api/orders/:id/events` (server-sent events read with
 * fetch, so that the token goes along). When the stream fails it reads the order and its saga
 * once, and opens the stream again after a backoff (1 s, 2 s, … 30 s) if the failure may pass
 * (network, 429, 502–504), or when the customer asks: no polling.
 */
export function useOrderStream(orderId: string): OrderStream {
  const { session } = useSession();
  const token = session?.token;
  const handleUnauthorized = useUnauthorizedHandler();
  const unauthorized = useRef(handleUnauthorized);
  unauthorized.current = handleUnauthorized;
  const [snapshot, setSnapshot] = useState<OrderSnapshot | undefined>();
  const [receivedAt, setReceivedAt] = useState<number | undefined>();
  const [phase, setPhase] = useState<StreamPhase>('connecting');
  const [failure, setFailure] = useState<unknown>();
  const [connection, setConnection] = useState(0);
  const [retryAt, setRetryAt] = useState<number | undefined>();
  // Failures in a row: each waits twice as long before the next attempt (1 s … 30 s).
  const failuresInARow = useRef(0);

  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    const { signal } = controller;
    let ended = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    setPhase('connecting');
    setFailure(undefined);
    setRetryAt(undefined);

    /** Like EventSource: a stream that failed for a reason that may pass is opened again. */
    function retryLater(cause: unknown) {
      const passing = !(cause instanceof ApiProblem) || [429, 502, 503, 504].includes(cause.status);
      if (!passing) return;
      failuresInARow.current += 1;
      const delayMs = Math.min(30_000, 1_000 * 2 ** (failuresInARow.current - 1));
      setRetryAt(Date.now() + delayMs);
      retry = setTimeout(() => setConnection((n) => n + 1), delayMs);
    }

    function keep(next: OrderSnapshot) {
      setSnapshot(next);
      setReceivedAt(Date.now());
    }

    async function readOnce(cause: unknown) {
      setFailure(cause);
      if (unauthorized.current(cause)) return;
      try {
        const [order, saga] = await Promise.all([
          api<Order>(`/api/orders/${orderId}`, { token, signal }),
          api<SagaTimeline>(`/api/orders/${orderId}/saga`, { token, signal }),
        ]);
        if (!signal.aborted) keep({ order, saga });
      } catch (error) {
        if (signal.aborted || unauthorized.current(error)) return;
      }
      if (signal.aborted) return;
      setPhase('disconnected');
      retryLater(cause);
    }

    readEventStream(`/api/orders/${orderId}/events`, {
      token,
      signal,
      onEvent: (event) => {
        if (event.event === 'order') {
          try {
            keep(JSON.parse(event.data) as OrderSnapshot);
            failuresInARow.current = 0;
            setPhase('live');
          } catch {
            // A garbled event: the next one carries the whole state again.
          }
        } else if (event.event === 'end') {
          ended = true;
          setPhase('final');
        }
      },
    }).then(
      () => {
        if (!signal.aborted && !ended)
          void readOnce(new Error('The live updates stopped before the order settled.'));
      },
      (error: unknown) => {
        if (!signal.aborted) void readOnce(error);
      },
    );
    return () => {
      controller.abort();
      clearTimeout(retry);
    };
  }, [orderId, token, connection]);

  const reconnect = useCallback(() => setConnection((n) => n + 1), []);
  return { snapshot, phase, failure, receivedAt, retryAt, reconnect };
}
