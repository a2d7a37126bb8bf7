import type {
  DeadLetterCounts,
  OrderReconciliation,
  SlowestSagas,
  SystemHealth,
} from '@shop/contracts';
import { useCallback, useMemo, useState } from 'react';
import { api } from '../api/client';
import { BreakerTransitions } from './breaker-transitions';
import { ChaosPanel } from './chaos-panel';
import { CheckoutAdmissionPanel } from './checkout-admission';
import { ConsumerLagTable } from './consumer-lag';
import { secondsAgo } from './format';
import { DeadLettersPanel } from './dead-letters-panel';
import { ReconciliationPanel } from './reconciliation-panel';
import { countsOf, ratesOf, withCounts, type SagaCounts } from './saga-rates';
import { SagasPanel } from './sagas-panel';
import { SlowestSagasPanel } from './slowest-sagas';
import { SystemMap } from './system-map';
import { useAdminGet } from './use-admin-api';
import { useNow } from '../ui/use-now';
import { usePolling, type Poll } from './use-polling';

const everyTwoSeconds = 2_000;

/** The console's panels, fed by polls of the gateway's operations endpoints. */
export function Dashboard({ token }: { token: string }) {
  const get = useAdminGet();
  const now = useNow();

  const health = usePolling(
    useCallback((signal: AbortSignal) => api<SystemHealth>('/api/system/health', { signal }), []),
    { intervalMs: everyTwoSeconds },
  );

  const [counts, setCounts] = useState<SagaCounts[]>([]);
  const reconciliation = usePolling(
    useCallback(
      (signal: AbortSignal) =>
        get<OrderReconciliation>('/api/orders/reconciliation/summary', signal),
      [get],
    ),
    {
      intervalMs: everyTwoSeconds,
      key: token,
      onData: (summary) => setCounts((history) => withCounts(history, countsOf(summary))),
    },
  );
  const rates = useMemo(() => ratesOf(counts), [counts]);

  const slowest = usePolling(
    useCallback(
      (signal: AbortSignal) =>
        get<SlowestSagas>('/api/orders/sagas/slowest?withinSeconds=300&limit=5', signal),
      [get],
    ),
    { intervalMs: 5_000, key: token },
  );

  const deadLetters = usePolling(
    useCallback(
      (signal: AbortSignal) => get<DeadLetterCounts>('/api/system/dead-letters', signal),
      [get],
    ),
    { intervalMs: everyTwoSeconds, key: token },
  );

  return (
    <>
      <div className="freshness" aria-label="Data freshness">
        <Freshness label="Health" poll={health} now={now} />
        <Freshness label="Reconciliation" poll={reconciliation} now={now} />
      </div>
      <ErrorBanner label="System health" poll={health} />
      <ErrorBanner label="Reconciliation summary" poll={reconciliation} />
      <div className="grid">
        <SystemMap health={health.data} gatewayReachable={!health.error} />
        <BreakerTransitions health={health.data} />
        <ConsumerLagTable lag={health.data?.consumerLag} loaded={health.data !== undefined} />
        <CheckoutAdmissionPanel
          admission={health.data?.checkoutAdmission}
          gate={health.data?.checkoutGate}
          newWork={health.data?.newWorkGate}
          loaded={health.data !== undefined}
        />
        <SagasPanel
          points={rates}
          inFlight={reconciliation.data?.inFlightOrders}
          loaded={reconciliation.data !== undefined}
        />
        <ReconciliationPanel summary={reconciliation.data} />
        <SlowestSagasPanel slowest={slowest.data} error={slowest.error} />
        <DeadLettersPanel counts={deadLetters.data} error={deadLetters.error} />
        <ChaosPanel token={token} />
      </div>
    </>
  );
}

function Freshness({ label, poll, now }: { label: string; poll: Poll<unknown>; now: number }) {
  return (
    <span className={`freshness-item ${poll.error ? 'freshness-item--stale' : ''}`}>
      {label} updated{' '}
      <span data-updated-at={poll.updatedAt}>{secondsAgo(now, poll.updatedAt)}</span>
    </span>
  );
}

function ErrorBanner({ label, poll }: { label: string; poll: Poll<unknown> }) {
  if (!poll.error) return null;
  return (
    <p className="banner banner--error" role="alert">
      <strong>{label} could not be fetched:</strong> {poll.error}{' '}
      {poll.updatedAt === undefined ? 'Still trying.' : 'Showing the last answer; still trying.'}
    </p>
  );
}
