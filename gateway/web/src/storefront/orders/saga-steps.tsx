import type { SagaCompensation, SagaStep } from '@shop/contracts';
import { formatPreciseTime, millisBetween } from '../../ui/time';
import { stepStatusTone, stepStatusWords, stepWords } from './order-words';

type Action = SagaStep | SagaCompensation;

function ActionTiming({ action }: { action: Action }) {
  const took = millisBetween(action.lastSentAt, action.reply?.receivedAt);
  return (
    <p className="small muted saga-step__timing">
      {action.attempts === 1 ? '1 attempt' : `${action.attempts} attempts`}
      {action.lastSentAt && (
        <>
          {' · sent '}
          <time dateTime={action.lastSentAt}>{formatPreciseTime(action.lastSentAt)}</time>
        </>
      )}
      {action.reply && (
        <>
          {' → reply '}
          <time dateTime={action.reply.receivedAt}>
            {formatPreciseTime(action.reply.receivedAt)}
          </time>
        </>
      )}
      {took !== undefined && <strong className="saga-step__took"> ({took} ms)</strong>}
      {!action.reply && action.deadline && action.status === 'AWAITING_REPLY' && (
        <>
          {' · deadline '}
          <time dateTime={action.deadline}>{formatPreciseTime(action.deadline)}</time>
        </>
      )}
    </p>
  );
}

function ActionItem({ action, extra }: { action: Action; extra?: string }) {
  return (
    <li
      className={`saga-step saga-step--${stepStatusTone(action.status)}`}
      data-step={action.name}
      data-status={action.status}
    >
      <div className="saga-step__head">
        <span className="saga-step__name">{stepWords[action.name]}</span>
        <span className={`badge badge--${stepStatusTone(action.status)}`}>
          {stepStatusWords[action.status]}
        </span>
      </div>
      <p className="small saga-step__command">
        <code>{action.command}</code>
        {extra && <span className="muted"> · {extra}</span>}
        {action.reply && (
          <span className="muted">
            {' '}
            · reply <code>{action.reply.type}</code>
            {action.reply.reason && <> ({action.reply.reason})</>}
          </span>
        )}
      </p>
      <ActionTiming action={action} />
    </li>
  );
}

/** The saga's steps in order, each with its status, attempts and timing. */
export function SagaSteps({ steps }: { steps: SagaStep[] }) {
  return (
    <ol aria-label="Saga steps" className="saga-steps">
      {steps.map((step) => (
        <ActionItem key={step.name} action={step} />
      ))}
    </ol>
  );
}

/** What undid completed steps after a failure or a cancel (release the stock, refund). */
export function SagaCompensations({ compensations }: { compensations: SagaCompensation[] }) {
  if (compensations.length === 0) return null;
  return (
    <ol aria-label="Compensations" className="saga-steps saga-steps--compensations">
      {compensations.map((compensation) => (
        <ActionItem
          key={compensation.name}
          action={compensation}
          extra={`undoes ${stepWords[compensation.compensates].toLowerCase()}`}
        />
      ))}
    </ol>
  );
}
