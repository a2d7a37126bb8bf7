import { useCallback, useEffect, useState } from 'react';

export interface Resource<T> {
  data: T | undefined;
  failure: unknown;
  loading: boolean;
  /** Reads it again (a "Try again" button). */
  reload: () => void;
}

/**
 * Reads something whenever `key` changes, aborting the read it replaces; `load` gets the signal.
 * The previous data stays while the next loads, so lists do not flicker between pages.
 */
export function useApiResource<T>(
  key: string | undefined,
  load: (signal: AbortSignal) => Promise<T>,
): Resource<T> {
  const [data, setData] = useState<T | undefined>();
  const [failure, setFailure] = useState<unknown>();
  const [loading, setLoading] = useState(key !== undefined);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (key === undefined) return;
    const controller = new AbortController();
    setLoading(true);
    load(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setFailure(undefined);
        setLoading(false);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setFailure(error);
        setLoading(false);
      },
    );
    return () => controller.abort();
    // `load` is a new closure each render; `key` says when it reads something else.
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, failure, loading, reload };
}
