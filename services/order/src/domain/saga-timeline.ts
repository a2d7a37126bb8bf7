import type {
  SagaCompensation,
  SagaCompensationName,
  SagaStep,
  SagaStepName,
  SagaTimeline,
} from '@shop/contracts';
import type { OrderRecord } from '../data/orders';
import type { SagaAction, SagaRecord } from '../data/sagas';
import { commandOfAction, sagaStatusOf } from './saga-machine';

const steps: readonly SagaStepName[] = ['RESERVE_STOCK', 'AUTHORIZE_PAYMENT', 'COMMIT_STOCK'];

const compensations: ReadonlyArray<{ name: SagaCompensationName; compensates: SagaStepName }> = [
  { name: 'RELEASE_STOCK', compensates: 'RESERVE_STOCK' },
  { name: 'REFUND_PAYMENT', compensates: 'AUTHORIZE_PAYMENT' },
];

/**
 * The saga as its owner can watch it recover: every forward step (not yet sent: PENDING, or
 * SKIPPED once the saga gave up before it), and every compensation that was started.
 */
export function toSagaTimeline(saga: SagaRecord, order: OrderRecord): SagaTimeline {
  const status = sagaStatusOf(saga.state);
  const unsent = status === 'RUNNING' ? 'PENDING' : 'SKIPPED';
  return {
    orderId: saga.orderId,
    status,
    orderStatus: order.status,
    ...(saga.failureReason === null ? {} : { failureReason: saga.failureReason }),
    startedAt: saga.startedAt.toISOString(),
    updatedAt: saga.updatedAt.toISOString(),
    steps: steps.map((name): SagaStep => {
      const action = saga.actions.get(name);
      return action ? { name, ...actionView(action) } : { name, ...notSent(name, unsent) };
    }),
    compensations: compensations.flatMap(({ name, compensates }): SagaCompensation[] => {
      const action = saga.actions.get(name);
      return action ? [{ name, compensates, ...actionView(action) }] : [];
    }),
  };
}

function actionView(action: SagaAction): Omit<SagaStep, 'name'> {
  return {
    command: commandOfAction[action.name],
    status: action.status,
    attempts: action.attempts,
    lastSentAt: action.lastSentAt?.toISOString() ?? null,
    deadline: action.deadline?.toISOString() ?? null,
    reply: action.reply,
  };
}

function notSent(name: SagaStepName, status: 'PENDING' | 'SKIPPED'): Omit<SagaStep, 'name'> {
  return {
    command: commandOfAction[name],
    status,
    attempts: 0,
    lastSentAt: null,
    deadline: null,
    reply: null,
  };
}
