import { useEffect, useRef, useState } from 'react';
import { describeError } from './describe-error';

export interface Poll<T> {
  /** The latest answer; kept while later polls fail. */
  data: T | undefined;
  /** Why the latest poll failed; undefined once one succeeds again. */
  error: string | undefined;
  /** When (Date.now()) the latest successful answer arrived. */
  updatedAt: number | undefined;
}

export interface PollingOptions<T> {
  intervalMs: number;
  /** A poll that takes longer than this is abandoned and counts as failed. */
  timeoutMs?: number;
  /** Called with every successful answer (for values derived from successive answers). */
  onData?: (data: T) => void;
  /** Polling restarts whenever this changes (the session's token, say). */
  key?: string;
}

/**
 * Calls `load` now and then `intervalMs` after each answer, as long as the page is visible: a
 * hidden tab does not poll, and polls again as soon as it is shown. A failed poll is reported in
 * `error` and polling goes on.
 */
export function usePolling<T>(
  load: (signal: AbortSignal) => Promise<T>,
  { intervalMs, timeoutMs = 10_000, onData, key }: PollingOptions<T>,
): Poll<T> {
  const [poll, setPoll] = useState<Poll<T>>({
    data: undefined,
    error: undefined,
    updatedAt: undefined,
  });
  const loadRef = useRef(load);
  const onDataRef = useRef(onData);
  useEffect(() => {
    loadRef.current = load;
    onDataRef.current = onData;
  });

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight: AbortController | undefined;

    const schedule = () => {
      if (!stopped && document.visibilityState !== 'hidden' && timer === undefined && !inFlight)
        timer = setTimeout(() => void tick(), intervalMs);
    };

    const tick = async () => {
      timer = undefined;
      if (stopped || document.visibilityState === 'hidden') return;
      const controller = new AbortController();
      inFlight = controller;
      let timedOut = false;
      const deadline = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      try {
        const data = await loadRef.current(controller.signal);
        if (stopped) return;
        onDataRef.current?.(data);
        setPoll({ data, error: undefined, updatedAt: Date.now() });
      } catch (error) {
        if (stopped) return;
        const why = timedOut ? `No answer within ${timeoutMs / 1000} s.` : describeError(error);
        setPoll((previous) => ({ ...previous, error: why }));
      } finally {
        clearTimeout(deadline);
        inFlight = undefined;
      }
      schedule();
    };

    const onVisibilityChange = () => {
      if (document.visibilityState === 'hidden') {
        clearTimeout(timer);
        timer = undefined;
      } else if (timer === undefined && !inFlight) {
        void tick();
      }
    };

    document.addEventListener('visibilitychange', onVisibilityChange);
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
      inFlight?.abort();
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [intervalMs, timeoutMs, key]);

  return poll;
}
