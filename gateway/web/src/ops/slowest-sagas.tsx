import type { SagaTimeline, SlowestSagas } from '@shop/contracts';
import { useEffect, useId, useState } from 'react';
import { describeError } from './describe-error';
import { clockTime, milliseconds } from './format';
import { Panel } from './panel';
import { SagaTimelineView } from './saga-timeline';
import { useAdminGet } from './use-admin-api';

type Loaded =
  | { state: 'loading'; orderId: string }
  | { state: 'loaded'; orderId: string; timeline: SagaTimeline }
  | { state: 'failed'; orderId: string; error: string };

export function SlowestSagasPanel({
  slowest,
  error,
}: {
  slowest: SlowestSagas | undefined;
  error: string | undefined;
}) {
  const get = useAdminGet();
  const timelineId = useId();
  const [selected, setSelected] = useState<string | undefined>();
  const [loaded, setLoaded] = useState<Loaded | undefined>();

  useEffect(() => {
    if (!selected) return;
    const controller = new AbortController();
    setLoaded({ state: 'loading', orderId: selected });
    get<SagaTimeline>(`/api/orders/${encodeURIComponent(selected)}/saga`, controller.signal).then(
      (timeline) => setLoaded({ state: 'loaded', orderId: selected, timeline }),
      (failure: unknown) => {
        if (!controller.signal.aborted)
          setLoaded({ state: 'failed', orderId: selected, error: describeError(failure) });
      },
    );
    return () => controller.abort();
  }, [selected, get]);

  const items = slowest?.items ?? [];
  return (
    <Panel title="Slowest sagas" className="panel--wide">
      {error && (
        <p className="banner banner--error" role="alert">
          Could not load the slowest sagas: {error}
        </p>
      )}
      {!slowest ? (
        !error && <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p className="muted">No saga ended in the last 5 minutes.</p>
      ) : (
        <>
          <p className="muted">
            Sagas that ended since <time dateTime={slowest.since}>{clockTime(slowest.since)}</time>,
            slowest first. Choose one to see its timeline.
          </p>
          <ol className="slowest">
            {items.map((saga) => (
              <li key={saga.orderId}>
                <button
                  type="button"
                  className="slowest-item"
                  aria-pressed={selected === saga.orderId}
                  aria-controls={timelineId}
                  onClick={() =>
                    setSelected((current) => (current === saga.orderId ? undefined : saga.orderId))
                  }
                >
                  <span className="slowest-duration">{milliseconds(saga.durationMs)}</span>
                  <span className={`order-status order-status--${saga.orderStatus.toLowerCase()}`}>
                    {saga.orderStatus}
                    {saga.failureReason && ` (${saga.failureReason})`}
                  </span>
                  <span className="mono slowest-id">
                    <span className="visually-hidden">order </span>
                    {saga.orderId}
                  </span>
                  <span className="muted">ended {clockTime(saga.endedAt)}</span>
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
      <div id={timelineId} aria-live="polite">
        {selected && loaded?.orderId === selected && (
          <>
            {loaded.state === 'loading' && <p className="muted">Loading the timeline…</p>}
            {loaded.state === 'failed' && (
              <p className="banner banner--error" role="alert">
                Could not load the saga of {selected}: {loaded.error}
              </p>
            )}
            {loaded.state === 'loaded' && <SagaTimelineView timeline={loaded.timeline} />}
          </>
        )}
      </div>
    </Panel>
  );
}
