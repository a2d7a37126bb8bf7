import { useCallback, useRef, useState } from 'react';

export interface Submission {
  /** True while the action runs: the control that started it is disabled. */
  busy: boolean;
  /** Why the last run failed (an ApiProblem, a network error), for the page to explain. */
  failure: unknown;
  /** Runs `action` unless one is already running (a double click sends one request). */
  run: (action: () => Promise<void>) => Promise<void>;
}

/** What a form's submit or an action button goes through: busy, then done or failed. */
export function useSubmission(): Submission {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const running = useRef(false);
  const run = useCallback(async (action: () => Promise<void>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setFailure(undefined);
    try {
      await action();
    } catch (error) {
      setFailure(error);
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  return { busy, failure, run };
}
