import { perSecond } from './format';
import { Panel } from './panel';
import type { SagaRatePoint } from './saga-rates';
import { Sparkline } from './sparkline';

const spanMs = 60_000;

const series: Array<{
  key: keyof Omit<SagaRatePoint, 'at'>;
  label: string;
  unit: string;
  className: string;
}> = [
  { key: 'startedPerSecond', label: 'Started', unit: '/s', className: 'series--started' },
  { key: 'confirmedPerSecond', label: 'Confirmed', unit: '/s', className: 'series--confirmed' },
  { key: 'cancelledPerSecond', label: 'Cancelled', unit: '/s', className: 'series--cancelled' },
  { key: 'inFlight', label: 'In flight', unit: '', className: 'series--in-flight' },
];

export function SagasPanel({
  points,
  inFlight,
  loaded,
}: {
  points: SagaRatePoint[];
  inFlight: number | undefined;
  loaded: boolean;
}) {
  const latest = points[points.length - 1];
  const endAt = latest?.at ?? Date.now();
  return (
    <Panel title="Sagas">
      {!loaded ? (
        <p className="muted">No reconciliation summary yet.</p>
      ) : (
        <>
          <p className="muted">
            Per second between successive reconciliation summaries; the lines show the last minute.
          </p>
          <dl className="stats stats--sparklines">
            {series.map(({ key, label, unit, className }) => {
              const value = key === 'inFlight' ? (latest?.inFlight ?? inFlight) : latest?.[key];
              return (
                <div key={key} className={className}>
                  <dt>{label}</dt>
                  <dd>
                    <span className="stat-value">
                      {value === undefined
                        ? 'measuring…'
                        : `${key === 'inFlight' ? value : perSecond(value)}${unit}`}
                    </span>
                    <Sparkline
                      points={points.map((point) => ({ at: point.at, value: point[key] }))}
                      spanMs={spanMs}
                      endAt={endAt}
                    />
                  </dd>
                </div>
              );
            })}
          </dl>
        </>
      )}
    </Panel>
  );
}
