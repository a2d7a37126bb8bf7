import type { ChaosExperiments, ChaosRun } from '@shop/contracts';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { api } from '../api/client';
import { ApiProblem } from '../api/problem';
import { useSession } from '../api/session';
import { useNow } from '../ui/use-now';
import { describeError } from './describe-error';
import { milliseconds } from './format';
import { Panel } from './panel';
import { useAdminGet } from './use-admin-api';
import { usePolling } from './use-polling';

const runTone = { running: 'warn', passed: 'ok', failed: 'bad', error: 'bad' } as const;

type Experiments =
  | { phase: 'loading' }
  | { phase: 'off' }
  | { phase: 'failed'; why: string }
  | { phase: 'ready'; items: ChaosExperiments['items'] };

/**
 * Chaos experiments, where the deployment enabled them (`SHOP_CHAOS=on npm start`): pick one, run
 * it, and follow the run — its timeline while it runs, then whether each invariant held.
 */
export function ChaosPanel({ token }: { token: string }) {
  const get = useAdminGet();
  const [experiments, setExperiments] = useState<Experiments>({ phase: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setExperiments({ phase: 'loading' });
    get<ChaosExperiments>('/api/system/chaos/experiments', controller.signal).then(
      ({ items }) => setExperiments({ phase: 'ready', items }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiProblem && error.status === 404) setExperiments({ phase: 'off' });
        else setExperiments({ phase: 'failed', why: describeError(error) });
      },
    );
    return () => controller.abort();
  }, [get, token, attempt]);

  return (
    <Panel title="Chaos" className="panel--wide chaos">
      {experiments.phase === 'loading' && <p className="muted">Loading the experiments…</p>}
      {experiments.phase === 'off' && (
        <p className="chaos__off">
          Chaos is off here. It runs only in native development mode: start the system with{' '}
          <code>SHOP_CHAOS=on npm start</code>. Docker Compose and Kubernetes never enable it.
        </p>
      )}
      {experiments.phase === 'failed' && (
        <div className="row">
          <p className="banner banner--error" role="alert">
            The experiments could not be fetched: {experiments.why}
          </p>
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            Retry
          </button>
        </div>
      )}
      {experiments.phase === 'ready' && <ChaosControls items={experiments.items} token={token} />}
    </Panel>
  );
}

function ChaosControls({ items, token }: { items: ChaosExperiments['items']; token: string }) {
  const get = useAdminGet();
  const { session } = useSession();
  const selectId = useId();
  const faultId = useId();
  const [chosen, setChosen] = useState(items[0]?.name ?? '');
  const [posting, setPosting] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const [posted, setPosted] = useState<{ run: ChaosRun; at: number } | undefined>();

  const current = usePolling(
    useCallback(
      async (signal: AbortSignal): Promise<ChaosRun | null> => {
        try {
          return await get<ChaosRun>('/api/system/chaos/runs/current', signal);
        } catch (error) {
          if (error instanceof ApiProblem && error.status === 404) return null;
          throw error;
        }
      },
      [get],
    ),
    { intervalMs: 1_000, key: token },
  );

  // The run the POST answered with, until a poll brings something newer.
  const run =
    posted && (current.updatedAt ?? 0) < posted.at ? posted.run : (current.data ?? undefined);
  const experiment = items.find((item) => item.name === chosen);
  const running = run?.state === 'running';

  async function start() {
    if (!chosen) return;
    setPosting(true);
    setFailure(undefined);
    try {
      const started = await api<ChaosRun>('/api/system/chaos/runs', {
        method: 'POST',
        token: session?.token,
        body: { experiment: chosen },
      });
      setPosted({ run: started, at: Date.now() });
    } catch (caught) {
      setFailure(
        caught instanceof ApiProblem && caught.status === 409
          ? caught.explanation
          : describeError(caught),
      );
    } finally {
      setPosting(false);
    }
  }

  return (
    <>
      {items.length === 0 ? (
        <p className="muted">This deployment offers no experiments.</p>
      ) : (
        <form
          className="chaos__controls"
          onSubmit={(event) => {
            event.preventDefault();
            void start();
          }}
        >
          <div className="chaos__field">
            <label htmlFor={selectId}>Experiment</label>
            <select
              id={selectId}
              value={chosen}
              onChange={(event) => setChosen(event.target.value)}
              aria-describedby={faultId}
            >
              {items.map((item) => (
                <option key={item.name} value={item.name}>
                  {item.name}
                </option>
              ))}
            </select>
            <div id={faultId} className="chaos__fault">
              {experiment && <p>{experiment.fault}</p>}
              {experiment?.touchesSharedInfrastructure && (
                <p className="chaos__warning">
                  <strong>Warning:</strong> stops infrastructure every process shares
                </p>
              )}
            </div>
          </div>
          <button type="submit" className="chaos__run" disabled={running || posting || !experiment}>
            Run experiment
          </button>
        </form>
      )}
      <p role="status" className="chaos__failure">
        {failure}
      </p>
      {current.error && (
        <p className="banner banner--error">
          The current run could not be fetched: {current.error}
        </p>
      )}
      {run && <RunView run={run} />}
    </>
  );
}

function RunView({ run }: { run: ChaosRun }) {
  const now = useNow(500);
  const started = Date.parse(run.startedAt);
  const ended = run.endedAt === null ? now : Date.parse(run.endedAt);
  const elapsed = Math.max(0, ended - started);
  const timeline = useRef<HTMLOListElement>(null);
  const events = run.timeline.length;

  useEffect(() => {
    const list = timeline.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [events, run.id]);

  return (
    <article className="chaos__run-view" aria-label={`Chaos run ${run.experiment}`}>
      <h3>{run.experiment}</h3>
      <p className="chaos__summary">
        <span aria-live="polite">
          State:{' '}
          <span
            data-testid="chaos-state"
            className={`chaos__state badge badge--${runTone[run.state]}`}
          >
            {run.state}
          </span>
        </span>{' '}
        · {run.state === 'running' ? 'running for' : 'took'}{' '}
        <span className="chaos__elapsed">{milliseconds(elapsed)}</span>
      </p>
      <p className="chaos__fault">{run.fault}</p>
      {run.state === 'running' && (
        <p className="chaos__watch">Watch the System map above while it runs.</p>
      )}
      {run.error && (
        <p className="banner banner--error" role="alert">
          {run.error}
        </p>
      )}
      {run.hypothesis.length > 0 && (
        <>
          <h4>Hypothesis</h4>
          <ul className="chaos__hypothesis">
            {run.hypothesis.map((line, index) => (
              <li key={index}>{line}</li>
            ))}
          </ul>
        </>
      )}
      <h4>Timeline</h4>
      <ol
        ref={timeline}
        className="chaos__timeline"
        aria-label="Chaos timeline"
        // Scrollable, so reachable by keyboard.
        tabIndex={0}
      >
        {run.timeline.map(({ seconds, event }, index) => (
          <li key={index}>
            <span className="chaos__at">[{seconds.toFixed(1)} s]</span> {event}
          </li>
        ))}
      </ol>
      {run.state !== 'running' && run.verdicts.length === 0 && (
        <p className="muted">No verdicts: the run ended before the invariants were checked.</p>
      )}
      {run.state !== 'running' && run.verdicts.length > 0 && (
        <>
          <h4>Verdicts</h4>
          <ul className="chaos__verdicts" aria-label="Verdicts">
            {run.verdicts.map((verdict) => (
              <li
                key={verdict.invariant}
                data-holds={String(verdict.holds)}
                className={`chaos__verdict chaos__verdict--${verdict.holds ? 'holds' : 'broken'}`}
              >
                <span className="chaos__mark" aria-hidden="true">
                  {verdict.holds ? '✓' : '✗'}
                </span>
                <span className="visually-hidden">{verdict.holds ? 'holds' : 'broken'}</span>{' '}
                <strong>{verdict.invariant}</strong>
                <span className="chaos__figures"> {verdict.figures}</span>
                {verdict.violations.length > 0 && (
                  <ul className="chaos__violations">
                    {verdict.violations.map((violation, index) => (
                      <li key={index}>{violation}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}
