import type { SagaCompensation, SagaStep, SagaTimeline } from '@shop/contracts';
import { clockTime, milliseconds } from './format';

type Action = (SagaStep | SagaCompensation) & { compensates?: string };

interface Bar {
  action: Action;
  kind: 'step' | 'compensation';
  /** ms after the saga started; undefined when the command was never sent. */
  sentAfter: number | undefined;
  /** ms after the saga started: the reply, or the deadline it missed. */
  endedAfter: number | undefined;
}

function msAfter(start: number, iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? undefined : Math.max(0, at - start);
}

function barsOf(timeline: SagaTimeline): Bar[] {
  const start = Date.parse(timeline.startedAt);
  const bar = (action: Action, kind: Bar['kind']): Bar => ({
    action,
    kind,
    sentAfter: msAfter(start, action.lastSentAt),
    endedAfter: action.reply
      ? msAfter(start, action.reply.receivedAt)
      : action.status === 'TIMED_OUT'
        ? msAfter(start, action.deadline)
        : action.status === 'AWAITING_REPLY'
          ? msAfter(start, timeline.updatedAt)
          : undefined,
  });
  return [
    ...timeline.steps.map((step) => bar(step, 'step')),
    ...timeline.compensations.map((compensation) => bar(compensation, 'compensation')),
  ];
}

function describe(bar: Bar): string {
  const { action } = bar;
  const parts = [`${action.status.toLowerCase().replace('_', ' ')}`];
  parts.push(`${action.attempts} ${action.attempts === 1 ? 'attempt' : 'attempts'}`);
  if (bar.sentAfter !== undefined) parts.push(`sent at +${milliseconds(bar.sentAfter)}`);
  if (action.reply && bar.endedAfter !== undefined)
    parts.push(`${action.reply.type} at +${milliseconds(bar.endedAfter)}`);
  else if (action.status === 'TIMED_OUT' && bar.endedAfter !== undefined)
    parts.push(`deadline passed at +${milliseconds(bar.endedAfter)}`);
  if (bar.sentAfter !== undefined && bar.endedAfter !== undefined)
    parts.push(`took ${milliseconds(Math.max(0, bar.endedAfter - bar.sentAfter))}`);
  if (action.reply?.reason) parts.push(`reason: ${action.reply.reason}`);
  return parts.join(' · ');
}

/** Each step and compensation as a bar from its (last) command to its reply, on the saga's clock. */
export function SagaTimelineView({ timeline }: { timeline: SagaTimeline }) {
  const bars = barsOf(timeline);
  const start = Date.parse(timeline.startedAt);
  const total = Math.max(
    1,
    Date.parse(timeline.updatedAt) - start,
    ...bars.map((bar) => bar.endedAfter ?? 0),
  );
  const percent = (ms: number) => `${((ms / total) * 100).toFixed(2)}%`;
  return (
    <div className="timeline">
      <p>
        Order <span className="mono">{timeline.orderId}</span>: saga{' '}
        <strong>{timeline.status}</strong>, order <strong>{timeline.orderStatus}</strong>
        {timeline.failureReason && <> ({timeline.failureReason})</>}. Started{' '}
        <time dateTime={timeline.startedAt}>{clockTime(timeline.startedAt)}</time>, last change
        after {milliseconds(Math.max(0, Date.parse(timeline.updatedAt) - start))}.
      </p>
      <ol className="timeline-rows">
        {bars.map((bar) => (
          <li
            key={`${bar.kind}-${bar.action.name}`}
            className={`timeline-row timeline-row--${bar.kind} step--${bar.action.status.toLowerCase()}`}
          >
            <div className="timeline-label">
              <strong>{bar.action.name}</strong>
              {bar.action.compensates && (
                <span className="muted"> (undoes {bar.action.compensates})</span>
              )}
              <span className="timeline-detail">{describe(bar)}</span>
            </div>
            <div className="timeline-track" aria-hidden="true">
              {bar.sentAfter !== undefined && (
                <span
                  className="timeline-bar"
                  style={{
                    left: percent(bar.sentAfter),
                    width: `max(3px, ${percent(Math.max(0, (bar.endedAfter ?? bar.sentAfter) - bar.sentAfter))})`,
                  }}
                />
              )}
            </div>
          </li>
        ))}
      </ol>
      <div className="timeline-axis" aria-hidden="true">
        <span>0</span>
        <span>{milliseconds(total)}</span>
      </div>
    </div>
  );
}
