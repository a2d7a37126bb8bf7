import type { SystemHealth } from '@shop/contracts';
import { clockTime } from './format';
import { Panel } from './panel';
import { transitionLog } from './system-topology';

const shown = 20;

export function BreakerTransitions({ health }: { health: SystemHealth | undefined }) {
  const log = transitionLog(health);
  return (
    <Panel title="Breaker transitions">
      {!health ? (
        <p className="muted">No health answer yet.</p>
      ) : log.length === 0 ? (
        <p className="muted">No breaker has changed state since the gateway started.</p>
      ) : (
        <ol className="transitions">
          {log.slice(0, shown).map((entry) => (
            <li key={`${entry.upstream}-${entry.at}-${entry.to}`}>
              <strong>{entry.upstream}</strong>: {entry.from ?? '…'} →{' '}
              <span className={`breaker breaker--${entry.to}`}>{entry.to}</span> at{' '}
              <time dateTime={entry.at}>{clockTime(entry.at)}</time>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
