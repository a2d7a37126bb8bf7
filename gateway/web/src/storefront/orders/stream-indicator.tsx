import { formatPreciseTime } from '../../ui/time';
import { useNow } from '../../ui/use-now';
import type { StreamPhase } from './use-order-stream';

const words: Record<StreamPhase, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  final: 'Final',
  disconnected: 'Not updating',
};

/** Whether what the page shows is still following the order: "Live", then "Final". */
export function StreamIndicator({
  phase,
  receivedAt,
  retryAt,
  onReconnect,
}: {
  phase: StreamPhase;
  receivedAt: number | undefined;
  retryAt: number | undefined;
  onReconnect: () => void;
}) {
  const now = useNow(1_000);
  return (
    <div className="stream-indicator row">
      <span
        className={`stream-indicator__dot stream-indicator__dot--${phase}`}
        aria-hidden="true"
      />
      <span data-testid="stream-state" className="stream-indicator__text">
        {words[phase]}
      </span>
      {phase === 'disconnected' && (
        <>
          {receivedAt !== undefined && (
            <span className="muted small">
              (read at {formatPreciseTime(new Date(receivedAt).toISOString())})
            </span>
          )}
          {retryAt !== undefined && retryAt > now && (
            <span className="muted small">retrying in {Math.ceil((retryAt - now) / 1_000)} s</span>
          )}
          <button type="button" onClick={onReconnect}>
            Reconnect
          </button>
        </>
      )}
    </div>
  );
}
