import type { OrderFailureReason, SagaReply } from '@shop/contracts';
import type { Tx } from '@shop/postgres';
import { updateOrderStatus, type OrderRecord } from '../data/orders';
import { claimDueSagaStep, lockSagaStep } from '../data/saga-step';
import { insertSaga, saveSaga, type SagaAction, type SagaRecord } from '../data/sagas';
import { emit, type Cause } from '../messaging/emit';
import { commandFor } from './saga-commands';
import type { StepLatency } from './step-latency';
import {
  actionAnsweredBy,
  assertOrderTransition,
  awaitedActions,
  commandOfAction,
  decide,
  replySucceeds,
  runsAgainstDeadline,
  type ActionName,
  type Decision,
  type ReplyType,
  type SagaEvent,
} from './saga-machine';

export interface SagaSettings {
  /**
   * How long a step waits for its reply before its command is sent again; each further wait is
   * twice the one before (and never shorter than the measured queueing, see `Queueing`).
   */
  stepTimeoutMs: number;
  /**
   * How many times in all a forward step's command may be sent: the retry budget. Past it the
   * step waits for its reply or for the saga's deadline, sending nothing more.
   */
  maxSends: number;
  /** How long the forward steps may take in all before the saga compensates. */
  sagaTimeoutMs: number;
}

/**
 * What the saga timer measured before its round: how long commands take to be answered now
 * (the 90th percentile of the last replies, see StepLatency). Zero when no reply came lately:
 * nothing flows, which is a fault rather than a queue, and the deadlines keep their fixed clock.
 */
export interface Queueing {
  stepLatencyMs: number;
}

/** Where a reply came from, recorded on the action it answers. */
export interface ReceivedReply {
  messageId: string;
  receivedAt: Date;
  /** The command copy it answers (the envelope's causationId). */
  causationId?: string | undefined;
}

export interface SagaContext {
  now: Date;
  settings: SagaSettings;
  /** Only the timer, which decides about re-sends and deadlines, reads it. */
  queueing?: Queueing;
  /** Where the replies' latencies are recorded, for the timer to read. */
  stepLatency?: StepLatency;
  /** What caused this change (a reply, a request); the correlation id is always the order id. */
  cause: Omit<Cause, 'correlationId'>;
}

export type SagaOutcome =
  | { kind: 'unknown-order' }
  | { kind: 'ignored'; why: string }
  | { kind: 'applied'; decision: Decision };

const replyEventTypes: ReadonlySet<string> = new Set<ReplyType>([
  'StockReserved',
  'StockReservationFailed',
  'StockReleased',
  'StockCommitted',
  'PaymentAuthorized',
  'PaymentDeclined',
  'PaymentRefunded',
]);

function isReply(event: SagaEvent): event is Extract<SagaEvent, { type: ReplyType }> {
  return replyEventTypes.has(event.type);
}

/** A new saga about to send its first step; the caller stores it with the order. */
export function newSaga(orderId: string, { now, settings }: SagaContext): SagaRecord {
  return {
    orderId,
    state: 'RESERVING',
    failureReason: null,
    startedAt: now,
    updatedAt: now,
    deadline: new Date(now.getTime() + settings.sagaTimeoutMs),
    actions: new Map(),
  };
}

/** Starts the saga of a new order (already inserted): stores it and sends ReserveStock. */
export async function beginSaga(
  tx: Tx,
  order: OrderRecord,
  context: SagaContext,
): Promise<SagaRecord> {
  const saga = newSaga(order.id, context);
  await send(tx, saga, order, 'RESERVE_STOCK', 'fresh', context);
  await insertSaga(tx, saga, nextDueAt(saga));
  return saga;
}

/**
 * Applies a reply or a customer's cancel to the order's saga, under its row lock. Replies for
 * orders this service does not know (other instances' test traffic, say) are left alone.
 */
export async function applySagaEvent(
  tx: Tx,
  orderId: string,
  event: SagaEvent,
  context: SagaContext,
  reply?: ReceivedReply,
): Promise<SagaOutcome> {
  const step = await lockSagaStep(tx, orderId);
  if (!step) return { kind: 'unknown-order' };
  const { saga, order } = step;
  const outcome = await apply(tx, saga, order, event, context, reply);
  await saveSaga(tx, saga, nextDueAt(saga));
  return outcome;
}

/**
 * One round of the timer for one due saga. Past the saga's deadline it compensates, unless the
 * measured step latency says its commands are only waiting their turn in queues: then the
 * deadline moves by what its forward steps take now, never past twice the saga's timeout.
 * Otherwise every awaited command whose reply is overdue is sent again (a new message id, the
 * same content: inventory and payment answer a repeated command per order, without a second
 * effect), within the step's retry budget and only once the command has been out longer than
 * replies take now: a re-send behind a queue would only double the work waiting there.
 * Returns the order id, or undefined when no saga is due.
 */
export async function runDueSaga(tx: Tx, context: SagaContext): Promise<string | undefined> {
  const { now, settings } = context;
  const stepLatencyMs = context.queueing?.stepLatencyMs ?? 0;
  const step = await claimDueSagaStep(tx, now);
  if (!step) return undefined;
  const { saga, order } = step;
  if (runsAgainstDeadline(saga.state) && saga.deadline !== null && saga.deadline <= now) {
    const allowed = allowedDeadline(saga, stepLatencyMs, settings);
    if (allowed > now) saga.deadline = allowed;
    else await apply(tx, saga, order, { type: 'SagaDeadlinePassed' }, context);
  } else {
    for (const name of awaitedActions(saga.state)) {
      const action = saga.actions.get(name);
      if (action?.status !== 'AWAITING_REPLY' || action.deadline === null) continue;
      if (action.deadline > now) continue;
      if (runsAgainstDeadline(saga.state) && action.attempts >= settings.maxSends) {
        // A forward step's budget is spent: its reply, or the saga's deadline, decides. (What a
        // compensating saga awaits has no deadline to fall back on: it is re-sent, ever more
        // slowly, until answered.)
        action.deadline = null;
        continue;
      }
      const queuedUntil = (action.lastSentAt?.getTime() ?? 0) + stepLatencyMs;
      if (queuedUntil > now.getTime()) {
        action.deadline = new Date(queuedUntil);
        continue;
      }
      await send(tx, saga, order, name, 'again', {
        ...context,
        cause: { ...context.cause, causationId: action.lastMessageId ?? undefined },
      });
    }
  }
  saga.updatedAt = now;
  await saveSaga(tx, saga, nextDueAt(saga));
  return saga.orderId;
}

/** Reserve, authorize, commit: what a saga waits on in turn. */
const forwardSteps = 3;

/**
 * The saga's timeout counted from its start, plus what its forward steps take at the measured
 * step latency, at most twice the timeout: under load the saga is given the time the queues
 * take, and no more.
 */
export function allowedDeadline(
  saga: Pick<SagaRecord, 'startedAt'>,
  stepLatencyMs: number,
  { sagaTimeoutMs }: Pick<SagaSettings, 'sagaTimeoutMs'>,
): Date {
  const allowance = Math.min(forwardSteps * stepLatencyMs, sagaTimeoutMs);
  return new Date(saga.startedAt.getTime() + sagaTimeoutMs + allowance);
}

/** The longest wait between two sends of a command, in STEP_TIMEOUTs. */
const maxBackoff = 8;

/**
 * How long a step waits after its `attempt`-th send: doubling from STEP_TIMEOUT up to eight of
 * them, and never less than the measured step latency.
 */
export function stepWaitMs(attempt: number, stepLatencyMs: number, stepTimeoutMs: number): number {
  const backoff = 2 ** Math.min(Math.max(0, attempt - 1), Math.log2(maxBackoff));
  return Math.max(stepTimeoutMs * backoff, stepLatencyMs);
}

async function apply(
  tx: Tx,
  saga: SagaRecord,
  order: OrderRecord,
  event: SagaEvent,
  context: SagaContext,
  received?: ReceivedReply,
): Promise<SagaOutcome> {
  const decision = decide(saga.state, event.type);
  const replyType = isReply(event) ? event.type : undefined;
  const reply = isReply(event) && received ? replyOf(event, received) : undefined;
  const answered = replyType && actionAnsweredBy(saga.state, replyType);

  if (decision.kind === 'ignore') {
    // Closes a command sent from a settled state (see Compensate), nothing else.
    const action = answered && saga.actions.get(answered);
    if (
      reply &&
      replyType &&
      action?.status === 'AWAITING_REPLY' &&
      !awaitedActions(saga.state).includes(action.name)
    ) {
      settle(action, reply, replySucceeds(action.name, replyType));
    }
    return { kind: 'ignored', why: decision.why };
  }

  saga.updatedAt = context.now;
  if (decision.kind === 'compensate') {
    for (const name of decision.send) await send(tx, saga, order, name, 'again', context);
    return { kind: 'applied', decision };
  }

  const from = saga.state;
  if (answered && reply && replyType) {
    const action = saga.actions.get(answered) ?? spontaneous(answered);
    saga.actions.set(answered, action);
    // Timed from the copy it answers, and only when that is the last one sent: when an earlier
    // copy is answered, when that copy left is not kept.
    if (
      action.status === 'AWAITING_REPLY' &&
      action.lastSentAt !== null &&
      received?.causationId === action.lastMessageId
    ) {
      context.stepLatency?.record(context.now.getTime() - action.lastSentAt.getTime());
    }
    settle(action, reply, replySucceeds(answered, replyType));
  }
  const stillAwaited = awaitedActions(decision.to);
  for (const name of awaitedActions(from)) {
    const action = saga.actions.get(name);
    if (action?.status === 'AWAITING_REPLY' && !stillAwaited.includes(name)) {
      action.status = 'TIMED_OUT';
      action.deadline = null;
    }
  }
  saga.state = decision.to;
  if (decision.failureReason !== undefined) {
    saga.failureReason =
      decision.failureReason === 'fromReply' ? declineReasonOf(event) : decision.failureReason;
  }
  if (!runsAgainstDeadline(saga.state)) saga.deadline = null;
  for (const name of decision.send) await send(tx, saga, order, name, 'fresh', context);
  // An order already CANCELLED (its payment's answer was still due) is not cancelled twice.
  if (decision.orderStatus !== undefined && decision.orderStatus !== order.status) {
    await moveOrder(tx, order, decision.orderStatus, saga.failureReason, context);
  }
  return { kind: 'applied', decision };
}

/**
 * Sends an action's command through the outbox. `fresh` builds it from the order now; `again`
 * repeats the stored payload, so a re-send is the same command under a new message id.
 */
async function send(
  tx: Tx,
  saga: SagaRecord,
  order: OrderRecord,
  name: ActionName,
  mode: 'fresh' | 'again',
  context: SagaContext,
): Promise<void> {
  const { now, settings, cause } = context;
  const existing = saga.actions.get(name);
  const command = commandFor(name, order, saga.failureReason);
  const payload =
    mode === 'again' && existing && Object.keys(existing.payload).length > 0
      ? existing.payload
      : (command.payload as Record<string, unknown>);
  const { id: messageId } = await emit(tx, { type: command.type, payload } as typeof command, {
    ...cause,
    correlationId: order.id,
  });
  const awaited = awaitedActions(saga.state).includes(name);
  const attempts = (existing?.attempts ?? 0) + 1;
  const waitMs = stepWaitMs(attempts, context.queueing?.stepLatencyMs ?? 0, settings.stepTimeoutMs);
  saga.actions.set(name, {
    name,
    command: commandOfAction[name],
    status: 'AWAITING_REPLY',
    attempts,
    lastSentAt: now,
    lastMessageId: messageId,
    // A command sent from a settled state is fire-and-forget: nothing waits on it.
    deadline: awaited ? new Date(now.getTime() + waitMs) : null,
    payload,
    reply: mode === 'fresh' ? null : (existing?.reply ?? null),
  });
}

async function moveOrder(
  tx: Tx,
  order: OrderRecord,
  status: OrderRecord['status'],
  failureReason: OrderFailureReason | null,
  { now, cause }: SagaContext,
): Promise<void> {
  assertOrderTransition(order.status, status);
  const reason = status === 'CANCELLED' ? (failureReason ?? 'TIMEOUT') : undefined;
  await updateOrderStatus(tx, order.id, {
    status,
    at: now,
    ...(reason === undefined ? {} : { failureReason: reason }),
  });
  const summary = {
    orderId: order.id,
    customerId: order.customerId,
    totalCents: order.totalCents,
    currency: order.currency,
  };
  const eventCause = { ...cause, correlationId: order.id };
  if (status === 'CONFIRMED') {
    await emit(
      tx,
      { type: 'OrderConfirmed', payload: { ...summary, items: order.items } },
      eventCause,
    );
  } else if (reason !== undefined) {
    await emit(tx, { type: 'OrderCancelled', payload: { ...summary, reason } }, eventCause);
  }
}

function settle(action: SagaAction, reply: SagaReply, succeeded: boolean): void {
  action.status = succeeded ? 'SUCCEEDED' : 'FAILED';
  action.reply = reply;
  action.deadline = null;
}

/** A release inventory made on its own clock (an expired reservation): nothing was sent for it. */
function spontaneous(name: ActionName): SagaAction {
  return {
    name,
    command: commandOfAction[name],
    status: 'AWAITING_REPLY',
    attempts: 0,
    lastSentAt: null,
    lastMessageId: null,
    deadline: null,
    // Empty: a later send of this action builds its command afresh.
    payload: {},
    reply: null,
  };
}

function replyOf(
  event: Extract<SagaEvent, { type: ReplyType }>,
  received: ReceivedReply,
): SagaReply {
  return {
    messageId: received.messageId,
    type: event.type,
    receivedAt: received.receivedAt.toISOString(),
    ...('reason' in event ? { reason: event.reason } : {}),
  };
}

function declineReasonOf(event: SagaEvent): OrderFailureReason {
  if (event.type !== 'PaymentDeclined') {
    throw new Error(`${event.type} carries no decline reason`);
  }
  return event.reason;
}

/** When the timer must look at the saga again: its deadline or the earliest awaited reply's. */
export function nextDueAt(saga: SagaRecord): Date | null {
  const candidates: Date[] = [];
  if (runsAgainstDeadline(saga.state) && saga.deadline !== null) candidates.push(saga.deadline);
  for (const name of awaitedActions(saga.state)) {
    const action = saga.actions.get(name);
    if (action?.status === 'AWAITING_REPLY' && action.deadline !== null) {
      candidates.push(action.deadline);
    }
  }
  if (candidates.length === 0) return null;
  return new Date(Math.min(...candidates.map((date) => date.getTime())));
}
