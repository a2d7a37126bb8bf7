import { sagaStateSchema, type OrderStatus } from '@shop/contracts';
import {
  assertOrderTransition,
  awaitedActions,
  decide,
  IllegalTransitionError,
  sagaStates,
  table,
  type Decision,
  type SagaEventType,
  type SagaState,
} from '../src/domain/saga-machine';

const eventTypes: SagaEventType[] = [
  'StockReserved',
  'StockReservationFailed',
  'StockReleased',
  'StockCommitted',
  'PaymentAuthorized',
  'PaymentDeclined',
  'PaymentRefunded',
  'SagaDeadlinePassed',
  'CustomerCancelRequested',
];

const allPairs = sagaStates.flatMap((state) =>
  eventTypes.map((event) => ({ state, event, decision: table[state].on[event] })),
);
const legal = allPairs.filter((pair) => pair.decision !== undefined);
const illegal = allPairs.filter((pair) => pair.decision === undefined);

function transition(state: SagaState, event: SagaEventType) {
  const decision = decide(state, event);
  if (decision.kind !== 'transition') throw new Error(`${state} × ${event} is ${decision.kind}`);
  return decision;
}

describe('the saga transition table', () => {
  test.each(illegal.map(({ state, event }) => [state, event]))(
    'when %s receives %s, then it is an illegal transition',
    (state, event) => {
      expect(() => decide(state, event)).toThrow(IllegalTransitionError);
    },
  );

  test('when an illegal transition is thrown, then it is not retriable and names the pair', () => {
    let thrown: unknown;
    try {
      decide('CONFIRMED', 'StockReleased');
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(IllegalTransitionError);
    expect(thrown).toMatchObject({
      retriable: false,
      message: 'saga in state CONFIRMED cannot take StockReleased',
    });
  });

  test('when every reply goes well, then the saga walks RESERVING → CONFIRMED sending each step', () => {
    const reserved = transition('RESERVING', 'StockReserved');
    const authorized = transition(reserved.to, 'PaymentAuthorized');
    const committed = transition(authorized.to, 'StockCommitted');

    expect([reserved, authorized, committed]).toEqual([
      expect.objectContaining({
        to: 'AUTHORIZING',
        send: ['AUTHORIZE_PAYMENT'],
        orderStatus: 'STOCK_RESERVED',
      }),
      expect.objectContaining({ to: 'COMMITTING', send: ['COMMIT_STOCK'] }),
      expect.objectContaining({ to: 'CONFIRMED', send: [], orderStatus: 'CONFIRMED' }),
    ]);
  });

  test('when stock cannot be reserved, then the order is cancelled as OUT_OF_STOCK at once', () => {
    expect(transition('RESERVING', 'StockReservationFailed')).toMatchObject({
      to: 'CANCELLED',
      orderStatus: 'CANCELLED',
      failureReason: 'OUT_OF_STOCK',
      send: [],
    });
  });

  test('when payment is declined, then the stock is released before the order is cancelled', () => {
    const declined = transition('AUTHORIZING', 'PaymentDeclined');
    const released = transition(declined.to, 'StockReleased');

    expect(declined).toMatchObject({ to: 'RELEASING', failureReason: 'fromReply' });
    expect(declined.send).toEqual(['RELEASE_STOCK']);
    expect(declined.orderStatus).toBeUndefined();
    expect(released).toMatchObject({ to: 'CANCELLED', orderStatus: 'CANCELLED' });
  });

  test('when a duplicate PaymentAuthorized arrives while committing, then no second CommitStock', () => {
    expect(decide('COMMITTING', 'PaymentAuthorized')).toMatchObject({ kind: 'ignore' });
  });

  test('when a late StockReserved arrives for a cancelled order, then its stock is released again', () => {
    expect(decide('CANCELLED', 'StockReserved')).toEqual(
      expect.objectContaining({ kind: 'compensate', send: ['RELEASE_STOCK'] }),
    );
  });

  test('when the reservation expires while authorizing, then the saga can only end CANCELLED', () => {
    const expired = transition('AUTHORIZING', 'StockReleased');
    const authorizedLate = transition(expired.to, 'PaymentAuthorized');
    const refunded = transition(authorizedLate.to, 'PaymentRefunded');

    expect(expired).toMatchObject({ to: 'AWAITING_PAYMENT', failureReason: 'TIMEOUT' });
    expect(authorizedLate).toMatchObject({ to: 'REFUNDING', send: ['REFUND_PAYMENT'] });
    expect(refunded).toMatchObject({ to: 'CANCELLED', orderStatus: 'CANCELLED' });
    expect(reachableFrom('AWAITING_PAYMENT')).not.toContain('CONFIRMED');
  });

  test('when the saga deadline passes while committing, then it releases and refunds', () => {
    expect(transition('COMMITTING', 'SagaDeadlinePassed')).toMatchObject({
      to: 'RELEASING_AND_REFUNDING',
      failureReason: 'TIMEOUT',
      send: ['RELEASE_STOCK', 'REFUND_PAYMENT'],
    });
  });

  test('when a customer cancels, then only a CONFIRMED saga accepts it', () => {
    const accepting = sagaStates.filter(
      (state) => table[state].on.CustomerCancelRequested !== undefined,
    );

    expect(accepting).toEqual(['CONFIRMED']);
  });

  test('when a state is not running forward, then the saga deadline has no transition from it', () => {
    const withDeadline = sagaStates.filter(
      (state) => table[state].on.SagaDeadlinePassed !== undefined,
    );

    expect(withDeadline).toEqual(['RESERVING', 'AUTHORIZING', 'COMMITTING']);
  });

  test('when a transition sends commands, then the state it leads to awaits their replies', () => {
    const sentButNotAwaited = legal.flatMap(({ state, event, decision }) =>
      decision?.kind === 'transition'
        ? decision.send
            .filter((action) => !awaitedActions(decision.to).includes(action))
            .map((action) => `${state} × ${event} sends ${action}`)
        : [],
    );

    expect(sentButNotAwaited).toEqual([]);
  });

  test('when any state is entered, then a terminal state is still reachable from it', () => {
    const deadEnds = sagaStates.filter(
      (state) => !reachableFrom(state).some((next) => next === 'CONFIRMED' || next === 'CANCELLED'),
    );

    expect(reachableFrom('RESERVING')).toEqual(expect.arrayContaining([...sagaStates]));
    expect(deadEnds).toEqual([]);
  });

  test('when the states are listed, then they are exactly the SagaState the reconciliation documents', () => {
    expect([...sagaStates].sort()).toEqual([...sagaStateSchema.options].sort());
    expect(Object.keys(table).sort()).toEqual([...sagaStates].sort());
  });

  test('when any path is followed, then the order status only moves along its own allowed edges', () => {
    const visited = walkOrderStatuses();

    expect(visited.get('CONFIRMED')).toEqual(new Set(['CONFIRMED']));
    expect(visited.get('CANCELLED')).toEqual(new Set(['CANCELLED']));
    expect(visited.get('RESERVING')).toEqual(new Set(['PENDING']));
  });

  test('when the order status would move backwards, then it is refused', () => {
    expect(() => assertOrderTransition('CONFIRMED', 'STOCK_RESERVED')).toThrow();
    expect(() => assertOrderTransition('CANCELLED', 'CONFIRMED')).toThrow();
    expect(() => assertOrderTransition('PENDING', 'CONFIRMED')).toThrow();
  });
});

function successors(state: SagaState): SagaState[] {
  return Object.values(table[state].on)
    .filter((decision): decision is Extract<Decision, { kind: 'transition' }> => {
      return decision.kind === 'transition';
    })
    .map((decision) => decision.to);
}

function reachableFrom(start: SagaState): SagaState[] {
  const seen = new Set<SagaState>([start]);
  const queue = [start];
  while (queue.length > 0) {
    for (const next of successors(queue.shift()!)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return [...seen];
}

/** Every (saga state, order status) pair any path can reach; throws on a forbidden order move. */
function walkOrderStatuses(): Map<SagaState, Set<OrderStatus>> {
  const visited = new Map<SagaState, Set<OrderStatus>>();
  const queue: Array<[SagaState, OrderStatus]> = [['RESERVING', 'PENDING']];
  while (queue.length > 0) {
    const [state, status] = queue.shift()!;
    const statuses = visited.get(state) ?? new Set<OrderStatus>();
    if (statuses.has(status)) continue;
    statuses.add(status);
    visited.set(state, statuses);
    for (const decision of Object.values(table[state].on)) {
      if (decision.kind !== 'transition') continue;
      const next = decision.orderStatus ?? status;
      if (next !== status) assertOrderTransition(status, next);
      queue.push([decision.to, next]);
    }
  }
  return visited;
}
