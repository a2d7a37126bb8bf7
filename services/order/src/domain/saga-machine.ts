import type {
  CommandType,
  OrderFailureReason,
  OrderStatus,
  PaymentDeclineReason,
  SagaCompensationName,
  SagaState,
  SagaStatus,
  SagaStepName,
  StockReleasedReason,
} from '@shop/contracts';

/**
 * The checkout saga's one state machine. Every allowed (state, event) pair is written in `table`
 * below, with what it leads to; a pair that is not there is an IllegalTransitionError, never a
 * silent overwrite.
 *
 * The saga's states are finer than the order's public status (API.md): the order stays PENDING or
 * STOCK_RESERVED while the saga is compensating, and becomes CANCELLED once its stock is back in
 * inventory. One case does not wait for every compensation: a payment that has not answered by
 * the deadline. The customer must not wait on a dead payment service to learn that the order
 * failed (issue: "past the saga's deadline it compensates and ends CANCELLED(TIMEOUT)"), so the
 * order is CANCELLED(TIMEOUT) as soon as the stock is released, while the saga stays COMPENSATING
 * (visible in its timeline) until payment answers, and refunds a late authorization. The
 * reconciliation therefore counts a saga as settled only when it is COMPLETED or COMPENSATED.
 */
export const sagaStates = [
  /** ReserveStock sent. Order PENDING. */
  'RESERVING',
  /** Stock held, AuthorizePayment sent. Order STOCK_RESERVED. */
  'AUTHORIZING',
  /** Payment authorized, CommitStock sent. Order STOCK_RESERVED. */
  'COMMITTING',
  /** Stock committed: the order is CONFIRMED. Only a customer cancel leaves it. */
  'CONFIRMED',
  /** Giving the stock back; no payment to undo (declined, or never asked for). */
  'RELEASING',
  /** Timed out while authorizing: giving the stock back, and the payment's answer still due. */
  'RELEASING_AWAITING_PAYMENT',
  /** Stock given back; waiting for the payment's answer to know whether to refund. */
  'AWAITING_PAYMENT',
  /** Stock settled; refunding the authorized payment. */
  'REFUNDING',
  /** Giving the stock back and refunding (a timed-out commit, or a customer cancel). */
  'RELEASING_AND_REFUNDING',
  /** Every compensation acknowledged: the order is CANCELLED. */
  'CANCELLED',
] as const satisfies readonly SagaState[];

// The names are contracts' SagaState, which the reconciliation summary documents: `satisfies`
// keeps the list above within it, and `table` below must have an entry for each of it.
export type { SagaState };

export type ActionName = SagaStepName | SagaCompensationName;

export const commandOfAction = {
  RESERVE_STOCK: 'ReserveStock',
  AUTHORIZE_PAYMENT: 'AuthorizePayment',
  COMMIT_STOCK: 'CommitStock',
  RELEASE_STOCK: 'ReleaseStock',
  REFUND_PAYMENT: 'RefundPayment',
} as const satisfies Record<ActionName, CommandType>;

export type ReplyType =
  | 'StockReserved'
  | 'StockReservationFailed'
  | 'StockReleased'
  | 'StockCommitted'
  | 'PaymentAuthorized'
  | 'PaymentDeclined'
  | 'PaymentRefunded';

export const replyTypes = [
  'StockReserved',
  'StockReservationFailed',
  'StockReleased',
  'StockCommitted',
  'PaymentAuthorized',
  'PaymentDeclined',
  'PaymentRefunded',
] as const satisfies readonly ReplyType[];

/** What can happen to a saga: a reply from inventory or payment, its deadline, or the customer. */
export type SagaEvent =
  | { type: Exclude<ReplyType, 'StockReleased' | 'PaymentDeclined'> }
  | { type: 'StockReleased'; reason: StockReleasedReason }
  | { type: 'PaymentDeclined'; reason: PaymentDeclineReason }
  | { type: 'SagaDeadlinePassed' }
  | { type: 'CustomerCancelRequested' };

export type SagaEventType = SagaEvent['type'];

/** Moves the saga on: the actions to start, the order's new public status, the failure reason. */
export interface Transition {
  kind: 'transition';
  to: SagaState;
  send: ActionName[];
  orderStatus?: OrderStatus;
  /** Set when the saga starts to fail; `fromReply` takes the PaymentDeclined reason. */
  failureReason?: OrderFailureReason | 'fromReply';
}

/** A reply that changes nothing: a duplicate, or late for a state that has moved past it. */
export interface Ignore {
  kind: 'ignore';
  why: string;
}

/** Stays put but undoes what a late reply says happened (a reservation for a cancelled order). */
export interface Compensate {
  kind: 'compensate';
  send: ActionName[];
  why: string;
}

export type Decision = Transition | Ignore | Compensate;

interface StateSpec {
  sagaStatus: SagaStatus;
  /** The replies this state waits for: their commands are re-sent when their deadline passes. */
  awaiting: ActionName[];
  on: Partial<Record<SagaEventType, Decision>>;
}

const to = (
  state: SagaState,
  fields: Omit<Transition, 'kind' | 'to' | 'send'> & { send?: ActionName[] } = {},
): Transition => ({ kind: 'transition', to: state, send: fields.send ?? [], ...fields });
const ignore = (why: string): Ignore => ({ kind: 'ignore', why });
const compensate = (send: ActionName[], why: string): Compensate => ({
  kind: 'compensate',
  send,
  why,
});

const duplicate = ignore('duplicate reply; already acted on');
const late = ignore('late reply; a compensation already in flight undoes it');

export const table: Record<SagaState, StateSpec> = {
  RESERVING: {
    sagaStatus: 'RUNNING',
    awaiting: ['RESERVE_STOCK'],
    on: {
      StockReserved: to('AUTHORIZING', {
        orderStatus: 'STOCK_RESERVED',
        send: ['AUTHORIZE_PAYMENT'],
      }),
      StockReservationFailed: to('CANCELLED', {
        orderStatus: 'CANCELLED',
        failureReason: 'OUT_OF_STOCK',
      }),
      // A re-sent ReserveStock answered after inventory had already let the order go.
      StockReleased: to('CANCELLED', { orderStatus: 'CANCELLED', failureReason: 'TIMEOUT' }),
      SagaDeadlinePassed: to('RELEASING', { failureReason: 'TIMEOUT', send: ['RELEASE_STOCK'] }),
    },
  },
  AUTHORIZING: {
    sagaStatus: 'RUNNING',
    awaiting: ['AUTHORIZE_PAYMENT'],
    on: {
      StockReserved: duplicate,
      PaymentAuthorized: to('COMMITTING', { send: ['COMMIT_STOCK'] }),
      PaymentDeclined: to('RELEASING', { failureReason: 'fromReply', send: ['RELEASE_STOCK'] }),
      // The reservation expired in inventory: never confirm; refund if the payment went through.
      StockReleased: to('AWAITING_PAYMENT', { failureReason: 'TIMEOUT', orderStatus: 'CANCELLED' }),
      SagaDeadlinePassed: to('RELEASING_AWAITING_PAYMENT', {
        failureReason: 'TIMEOUT',
        send: ['RELEASE_STOCK'],
      }),
    },
  },
  COMMITTING: {
    sagaStatus: 'RUNNING',
    awaiting: ['COMMIT_STOCK'],
    on: {
      StockReserved: duplicate,
      PaymentAuthorized: duplicate,
      StockCommitted: to('CONFIRMED', { orderStatus: 'CONFIRMED' }),
      // Inventory refused to commit an expired reservation and released it instead.
      StockReleased: to('REFUNDING', { failureReason: 'TIMEOUT', send: ['REFUND_PAYMENT'] }),
      // The commit may have happened unseen: a release puts committed units back on hand.
      SagaDeadlinePassed: to('RELEASING_AND_REFUNDING', {
        failureReason: 'TIMEOUT',
        send: ['RELEASE_STOCK', 'REFUND_PAYMENT'],
      }),
    },
  },
  CONFIRMED: {
    sagaStatus: 'COMPLETED',
    awaiting: [],
    on: {
      StockReserved: duplicate,
      PaymentAuthorized: duplicate,
      StockCommitted: duplicate,
      CustomerCancelRequested: to('RELEASING_AND_REFUNDING', {
        failureReason: 'CUSTOMER_CANCELLED',
        send: ['REFUND_PAYMENT', 'RELEASE_STOCK'],
      }),
    },
  },
  RELEASING: {
    sagaStatus: 'COMPENSATING',
    awaiting: ['RELEASE_STOCK'],
    on: {
      StockReleased: to('CANCELLED', { orderStatus: 'CANCELLED' }),
      StockReserved: late,
      StockReservationFailed: late,
      StockCommitted: late,
      PaymentDeclined: duplicate,
      PaymentRefunded: duplicate,
      PaymentAuthorized: duplicate,
    },
  },
  RELEASING_AWAITING_PAYMENT: {
    sagaStatus: 'COMPENSATING',
    awaiting: ['RELEASE_STOCK', 'AUTHORIZE_PAYMENT'],
    on: {
      StockReleased: to('AWAITING_PAYMENT', { orderStatus: 'CANCELLED' }),
      PaymentAuthorized: to('RELEASING_AND_REFUNDING', { send: ['REFUND_PAYMENT'] }),
      PaymentDeclined: to('RELEASING'),
      StockReserved: late,
    },
  },
  AWAITING_PAYMENT: {
    sagaStatus: 'COMPENSATING',
    awaiting: ['AUTHORIZE_PAYMENT'],
    on: {
      PaymentAuthorized: to('REFUNDING', { send: ['REFUND_PAYMENT'] }),
      PaymentDeclined: to('CANCELLED', { orderStatus: 'CANCELLED' }),
      StockReleased: duplicate,
      StockReserved: late,
    },
  },
  REFUNDING: {
    sagaStatus: 'COMPENSATING',
    awaiting: ['REFUND_PAYMENT'],
    on: {
      PaymentRefunded: to('CANCELLED', { orderStatus: 'CANCELLED' }),
      PaymentAuthorized: duplicate,
      StockReleased: duplicate,
      StockReserved: late,
      StockCommitted: late,
    },
  },
  RELEASING_AND_REFUNDING: {
    sagaStatus: 'COMPENSATING',
    awaiting: ['RELEASE_STOCK', 'REFUND_PAYMENT'],
    on: {
      StockReleased: to('REFUNDING'),
      PaymentRefunded: to('RELEASING'),
      StockReserved: late,
      StockCommitted: late,
      PaymentAuthorized: duplicate,
    },
  },
  CANCELLED: {
    sagaStatus: 'COMPENSATED',
    awaiting: [],
    on: {
      // Inventory and payment answer a repeated command idempotently, so undoing again is safe.
      StockReserved: compensate(['RELEASE_STOCK'], 'stock reserved for a cancelled order'),
      StockCommitted: compensate(['RELEASE_STOCK'], 'stock committed for a cancelled order'),
      PaymentAuthorized: compensate(['REFUND_PAYMENT'], 'payment authorized for a cancelled order'),
      StockReservationFailed: duplicate,
      StockReleased: duplicate,
      PaymentDeclined: duplicate,
      PaymentRefunded: duplicate,
    },
  },
};

export class IllegalTransitionError extends Error {
  /** Not retriable: the consumer dead-letters the reply, with this message, for a human to see. */
  readonly retriable = false;

  constructor(
    readonly state: SagaState,
    readonly event: SagaEventType,
  ) {
    super(`saga in state ${state} cannot take ${event}`);
    this.name = 'IllegalTransitionError';
  }
}

/** What the saga does with `event` in `state`; throws IllegalTransitionError for any other pair. */
export function decide(state: SagaState, event: SagaEventType): Decision {
  const decision = table[state].on[event];
  if (decision === undefined) throw new IllegalTransitionError(state, event);
  return decision;
}

export function awaitedActions(state: SagaState): readonly ActionName[] {
  return table[state].awaiting;
}

export function sagaStatusOf(state: SagaState): SagaStatus {
  return table[state].sagaStatus;
}

/** Only the forward steps run against the saga's deadline; compensations retry until answered. */
export function runsAgainstDeadline(state: SagaState): boolean {
  return table[state].sagaStatus === 'RUNNING';
}

/**
 * The action a reply answers in `state`. A StockReleased answers the release when one is awaited;
 * otherwise inventory released on its own clock (an expired reservation), which answers the
 * commit or reservation awaited at the time, or stands as a release nobody asked for.
 */
export function actionAnsweredBy(state: SagaState, reply: ReplyType): ActionName {
  switch (reply) {
    case 'StockReserved':
    case 'StockReservationFailed':
      return 'RESERVE_STOCK';
    case 'PaymentAuthorized':
    case 'PaymentDeclined':
      return 'AUTHORIZE_PAYMENT';
    case 'StockCommitted':
      return 'COMMIT_STOCK';
    case 'PaymentRefunded':
      return 'REFUND_PAYMENT';
    case 'StockReleased': {
      const awaiting = awaitedActions(state);
      if (awaiting.includes('RELEASE_STOCK')) return 'RELEASE_STOCK';
      if (awaiting.includes('COMMIT_STOCK')) return 'COMMIT_STOCK';
      if (awaiting.includes('RESERVE_STOCK')) return 'RESERVE_STOCK';
      return 'RELEASE_STOCK';
    }
  }
}

/** Whether a reply means its action succeeded (a StockReleased succeeds only as a release). */
export function replySucceeds(action: ActionName, reply: ReplyType): boolean {
  if (reply === 'StockReleased') return action === 'RELEASE_STOCK';
  return reply !== 'StockReservationFailed' && reply !== 'PaymentDeclined';
}

/** The public status moves forward only, and only along these edges (API.md, Orders). */
const orderTransitions: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ['STOCK_RESERVED', 'CANCELLED'],
  STOCK_RESERVED: ['CONFIRMED', 'CANCELLED'],
  CONFIRMED: ['CANCELLED'],
  CANCELLED: [],
};

export function assertOrderTransition(from: OrderStatus, next: OrderStatus): void {
  if (!orderTransitions[from].includes(next)) {
    throw Object.assign(new Error(`order cannot go from ${from} to ${next}`), {
      retriable: false,
    });
  }
}
