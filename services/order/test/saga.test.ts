import { randomUUID } from 'node:crypto';
import type { Order, PaymentDeclineReason } from '@shop/contracts';
import {
  api,
  awaitStatus,
  checkoutBody,
  customerWithCart,
  newCustomer,
  placeOrder,
  sagaOf,
  startOrder,
  startSagaPlayer,
  type Customer,
  type OrderUnderTest,
  type SagaPlayer,
} from './support/environment';
import { waitFor } from '@shop/testkit';
import { lockSagaStep } from '../src/data/saga-step';

jest.setTimeout(60_000);

let harness: OrderUnderTest;
let player: SagaPlayer;

beforeAll(async () => {
  // A generous saga deadline: these tests follow replies, not the saga's clock (see deadlines).
  harness = await startOrder({ STEP_TIMEOUT: '2s', SAGA_TIMEOUT: '45s' });
  player = await startSagaPlayer();
}, 60_000);

afterAll(async () => {
  await player?.stop();
  await harness?.close();
}, 60_000);

async function placed(paymentToken = 'tok_visa'): Promise<{ customer: Customer; order: Order }> {
  const customer = await customerWithCart(harness, [{ quantity: 2, priceCents: 500 }]);
  const { status, body } = await placeOrder(harness, customer, {
    body: checkoutBody(paymentToken),
  });
  if (status !== 202) throw new Error(`placing the order answered ${status}`);
  return { customer, order: body };
}

/** Plays inventory's answer to ReserveStock: all lines held. */
async function reserve(order: Order) {
  const command = await player.awaitSent(order.id, 'ReserveStock');
  return player.reply('StockReserved', command.payload, command);
}

async function authorize(order: Order) {
  const command = await player.awaitSent(order.id, 'AuthorizePayment');
  return player.reply(
    'PaymentAuthorized',
    {
      orderId: order.id,
      paymentId: paymentIdOf(order),
      amountCents: command.payload.amountCents,
      currency: command.payload.currency,
    },
    command,
  );
}

async function commit(order: Order) {
  const command = await player.awaitSent(order.id, 'CommitStock');
  return player.reply('StockCommitted', { orderId: order.id }, command);
}

async function confirmed(): Promise<{ customer: Customer; order: Order }> {
  const { customer, order } = await placed();
  await reserve(order);
  await authorize(order);
  await commit(order);
  await awaitStatus(harness, customer, order.id, 'CONFIRMED');
  return { customer, order };
}

const paymentIds = new Map<string, string>();
function paymentIdOf(order: Order): string {
  const id = paymentIds.get(order.id) ?? randomUUID();
  paymentIds.set(order.id, id);
  return id;
}

describe('the checkout saga', () => {
  test('when every reply goes well, then the order is CONFIRMED after reserve, authorize, commit', async () => {
    const { customer, order } = await placed();

    await reserve(order);
    const authorizeCommand = await player.awaitSent(order.id, 'AuthorizePayment');
    await authorize(order);
    await commit(order);
    const final = await awaitStatus(harness, customer, order.id, 'CONFIRMED');

    expect(authorizeCommand.payload).toEqual({
      orderId: order.id,
      customerId: customer.id,
      amountCents: 1000,
      currency: 'EUR',
      paymentToken: 'tok_visa',
    });
    expect(final.history.map((entry) => entry.status)).toEqual([
      'PENDING',
      'STOCK_RESERVED',
      'CONFIRMED',
    ]);
    expect(final.failureReason).toBeUndefined();
    const confirmation = await player.awaitSent(order.id, 'OrderConfirmed');
    expect(confirmation.payload).toMatchObject({ orderId: order.id, totalCents: 1000 });
    expect(await sagaOf(harness, customer, order.id)).toMatchObject({
      status: 'COMPLETED',
      orderStatus: 'CONFIRMED',
      steps: [
        { name: 'RESERVE_STOCK', status: 'SUCCEEDED', reply: { type: 'StockReserved' } },
        { name: 'AUTHORIZE_PAYMENT', status: 'SUCCEEDED', reply: { type: 'PaymentAuthorized' } },
        { name: 'COMMIT_STOCK', status: 'SUCCEEDED', reply: { type: 'StockCommitted' } },
      ],
      compensations: [],
    });
  });

  test('when a step changes one action, then the saga leaves the row of every other action as it was', async () => {
    const { customer, order } = await placed();
    // xmin: the transaction that wrote the row's current version.
    const rowVersions = async () =>
      Object.fromEntries(
        (
          await harness.pool.query<{ name: string; version: string }>(
            'SELECT name, xmin::text AS version FROM saga_actions WHERE order_id = $1',
            [order.id],
          )
        ).rows.map(({ name, version }) => [name, version]),
      );

    await reserve(order);
    await player.awaitSent(order.id, 'AuthorizePayment');
    const afterReserve = await rowVersions();
    await authorize(order);
    await player.awaitSent(order.id, 'CommitStock');
    const afterAuthorize = await rowVersions();
    await commit(order);
    await awaitStatus(harness, customer, order.id, 'CONFIRMED');
    const atTheEnd = await rowVersions();

    expect(afterAuthorize.AUTHORIZE_PAYMENT).not.toBe(afterReserve.AUTHORIZE_PAYMENT);
    expect(afterAuthorize.RESERVE_STOCK).toBe(afterReserve.RESERVE_STOCK);
    expect(atTheEnd.RESERVE_STOCK).toBe(afterReserve.RESERVE_STOCK);
    expect(atTheEnd.AUTHORIZE_PAYMENT).toBe(afterAuthorize.AUTHORIZE_PAYMENT);
    expect(atTheEnd.COMMIT_STOCK).not.toBe(afterAuthorize.COMMIT_STOCK);
  });

  test('when a step waits for the saga held by another, then it reads the actions the holder committed', async () => {
    const { order } = await placed();
    await player.awaitSent(order.id, 'ReserveStock');
    // The harness's pool has two connections, both taken here.
    const holder = await harness.pool.connect();
    const waiter = await harness.pool.connect();
    try {
      const { rows } = await waiter.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM sagas WHERE order_id = $1 FOR UPDATE', [order.id]);
      await waiter.query('BEGIN');
      const waited = lockSagaStep(waiter, order.id);
      await waitFor(
        async () => {
          const { rows: waiting } = await holder.query(
            'SELECT 1 FROM pg_locks WHERE pid = $1 AND NOT granted',
            [rows[0]!.pid],
          );
          return waiting.length > 0 || undefined;
        },
        { what: 'the second step waiting for the lock', timeoutMs: 10_000 },
      );
      await holder.query(
        "UPDATE saga_actions SET attempts = 7 WHERE order_id = $1 AND name = 'RESERVE_STOCK'",
        [order.id],
      );
      await holder.query('COMMIT');

      const step = await waited;

      expect(step?.saga.actions.get('RESERVE_STOCK')?.attempts).toBe(7);
      expect(step?.order.id).toBe(order.id);
    } finally {
      // The holder first, so that a waiter still waiting is let go.
      await holder.query('ROLLBACK');
      await waiter.query('ROLLBACK');
      holder.release();
      waiter.release();
    }
  });

  test('when inventory cannot reserve, then the order is CANCELLED(OUT_OF_STOCK) and payment never asked', async () => {
    const { customer, order } = await placed();
    const command = await player.awaitSent(order.id, 'ReserveStock');

    await player.reply(
      'StockReservationFailed',
      {
        orderId: order.id,
        reason: 'OUT_OF_STOCK',
        shortages: [{ productId: command.payload.lines[0]!.productId, requested: 2, available: 1 }],
      },
      command,
    );
    const final = await awaitStatus(harness, customer, order.id, 'CANCELLED');

    expect(final.failureReason).toBe('OUT_OF_STOCK');
    expect(final.history).toEqual([
      expect.objectContaining({ status: 'PENDING' }),
      expect.objectContaining({ status: 'CANCELLED', reason: 'OUT_OF_STOCK' }),
    ]);
    const cancelled = await player.awaitSent(order.id, 'OrderCancelled');
    expect(cancelled.payload.reason).toBe('OUT_OF_STOCK');
    expect(player.sent(order.id, 'AuthorizePayment')).toEqual([]);
  });

  test.each<PaymentDeclineReason>([
    'PAYMENT_DECLINED',
    'INSUFFICIENT_FUNDS',
    'PAYMENT_UNAVAILABLE',
  ])(
    'when payment answers %s, then the stock is released first and the order CANCELLED with that reason',
    async (reason) => {
      const { customer, order } = await placed();
      await reserve(order);
      const authorizeCommand = await player.awaitSent(order.id, 'AuthorizePayment');

      await player.reply('PaymentDeclined', { orderId: order.id, reason }, authorizeCommand);
      const release = await player.awaitSent(order.id, 'ReleaseStock');
      const whileReleasing = await api<Order>(harness, 'GET', `/api/orders/${order.id}`, {
        customer,
      });
      await player.reply('StockReleased', { orderId: order.id, reason }, release);
      const final = await awaitStatus(harness, customer, order.id, 'CANCELLED');

      expect(release.payload).toEqual({ orderId: order.id, reason });
      expect(whileReleasing.body.status).toBe('STOCK_RESERVED');
      expect(final.failureReason).toBe(reason);
      expect(final.history.map((entry) => entry.status)).toEqual([
        'PENDING',
        'STOCK_RESERVED',
        'CANCELLED',
      ]);
      expect(player.sent(order.id, 'CommitStock')).toEqual([]);
      expect(await sagaOf(harness, customer, order.id)).toMatchObject({
        status: 'COMPENSATED',
        steps: [
          { name: 'RESERVE_STOCK', status: 'SUCCEEDED' },
          { name: 'AUTHORIZE_PAYMENT', status: 'FAILED', reply: { reason } },
          { name: 'COMMIT_STOCK', status: 'SKIPPED' },
        ],
        compensations: [
          { name: 'RELEASE_STOCK', compensates: 'RESERVE_STOCK', status: 'SUCCEEDED' },
        ],
      });
    },
  );

  test('when PaymentAuthorized arrives twice, then CommitStock is sent for the first one only', async () => {
    const { customer, order } = await placed();
    await reserve(order);
    const first = await authorize(order);
    const duplicate = await authorize(order);

    await commit(order);
    await awaitStatus(harness, customer, order.id, 'CONFIRMED');

    const commits = player.sent(order.id, 'CommitStock');
    expect(commits.filter((command) => command.causationId === first.id)).toHaveLength(1);
    expect(commits.filter((command) => command.causationId === duplicate.id)).toEqual([]);
  });

  test('when a duplicate StockReserved arrives while authorizing, then nothing is sent twice', async () => {
    const { customer, order } = await placed();
    const firstReserved = await reserve(order);
    const duplicate = await reserve(order);

    await authorize(order);
    await commit(order);
    await awaitStatus(harness, customer, order.id, 'CONFIRMED');

    const authorizations = player.sent(order.id, 'AuthorizePayment');
    expect(
      authorizations.filter((command) => command.causationId === firstReserved.id),
    ).toHaveLength(1);
    expect(authorizations.filter((command) => command.causationId === duplicate.id)).toEqual([]);
  });

  test('when a reply is overdue, then the command is re-sent: same content, new id, attempts 2', async () => {
    const { customer, order } = await placed();

    const first = await player.awaitSent(order.id, 'ReserveStock', 1);
    const again = await player.awaitSent(order.id, 'ReserveStock', 2);
    const timeline = await waitFor(async () => {
      const saga = await sagaOf(harness, customer, order.id);
      return saga.steps[0]!.attempts >= 2 ? saga : undefined;
    });

    expect(again.id).not.toBe(first.id);
    expect(again.payload).toEqual(first.payload);
    expect(again.causationId).toBe(first.id);
    expect(timeline.steps[0]).toMatchObject({ name: 'RESERVE_STOCK', status: 'AWAITING_REPLY' });
    await player.reply('StockReserved', again.payload, again);
    await awaitStatus(harness, customer, order.id, 'STOCK_RESERVED');
  });

  test('when the reservation expires while payment is pending, then the saga refunds and ends CANCELLED(TIMEOUT)', async () => {
    const { customer, order } = await placed();
    await reserve(order);
    const authorizeCommand = await player.awaitSent(order.id, 'AuthorizePayment');

    await player.reply('StockReleased', { orderId: order.id, reason: 'EXPIRED' }, authorizeCommand);
    await waitFor(
      async () => (await sagaOf(harness, customer, order.id)).status === 'COMPENSATING',
    );
    await authorize(order);
    const refund = await player.awaitSent(order.id, 'RefundPayment');
    await player.reply(
      'PaymentRefunded',
      {
        orderId: order.id,
        paymentId: paymentIdOf(order),
        refundId: randomUUID(),
        amountCents: refund.payload.amountCents,
        currency: refund.payload.currency,
      },
      refund,
    );
    const final = await awaitStatus(harness, customer, order.id, 'CANCELLED');

    expect(refund.payload).toMatchObject({
      orderId: order.id,
      amountCents: 1000,
      reason: 'TIMEOUT',
    });
    expect(final.failureReason).toBe('TIMEOUT');
    expect(player.sent(order.id, 'CommitStock')).toEqual([]);
    expect(player.sent(order.id, 'OrderConfirmed')).toEqual([]);
  });

  test('when inventory answers CommitStock with an expired release, then the payment is refunded, never confirmed', async () => {
    const { customer, order } = await placed();
    await reserve(order);
    await authorize(order);
    const commitCommand = await player.awaitSent(order.id, 'CommitStock');

    await player.reply('StockReleased', { orderId: order.id, reason: 'EXPIRED' }, commitCommand);
    const refund = await player.awaitSent(order.id, 'RefundPayment');
    await player.reply(
      'PaymentRefunded',
      {
        orderId: order.id,
        paymentId: paymentIdOf(order),
        refundId: randomUUID(),
        amountCents: 1000,
        currency: 'EUR',
      },
      refund,
    );
    const final = await awaitStatus(harness, customer, order.id, 'CANCELLED');

    expect(final.failureReason).toBe('TIMEOUT');
    expect(player.sent(order.id, 'OrderConfirmed')).toEqual([]);
  });
});

describe('POST /api/orders/:id/cancel', () => {
  test('when the owner cancels a CONFIRMED order, then refund and restock, then CANCELLED(CUSTOMER_CANCELLED)', async () => {
    const { customer, order } = await confirmed();

    const response = await api<Order>(harness, 'POST', `/api/orders/${order.id}/cancel`, {
      customer,
    });
    const refund = await player.awaitSent(order.id, 'RefundPayment');
    const release = await player.awaitSent(order.id, 'ReleaseStock');
    await player.reply(
      'StockReleased',
      { orderId: order.id, reason: 'CUSTOMER_CANCELLED' },
      release,
    );
    const halfway = await sagaOf(harness, customer, order.id);
    await player.reply(
      'PaymentRefunded',
      {
        orderId: order.id,
        paymentId: paymentIdOf(order),
        refundId: randomUUID(),
        amountCents: 1000,
        currency: 'EUR',
      },
      refund,
    );
    const final = await awaitStatus(harness, customer, order.id, 'CANCELLED');

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ id: order.id, status: 'CONFIRMED' });
    expect(refund.payload).toMatchObject({ reason: 'CUSTOMER_CANCELLED', amountCents: 1000 });
    expect(release.payload).toEqual({ orderId: order.id, reason: 'CUSTOMER_CANCELLED' });
    expect(halfway.orderStatus).not.toBe('CANCELLED');
    expect(final.failureReason).toBe('CUSTOMER_CANCELLED');
    expect(final.history.map((entry) => entry.status)).toEqual([
      'PENDING',
      'STOCK_RESERVED',
      'CONFIRMED',
      'CANCELLED',
    ]);
    const cancelled = await player.awaitSent(order.id, 'OrderCancelled');
    expect(cancelled.payload.reason).toBe('CUSTOMER_CANCELLED');
  });

  test('when the order is not CONFIRMED, or already being cancelled, then 409', async () => {
    const pending = await placed();
    const { customer, order } = await confirmed();
    await api(harness, 'POST', `/api/orders/${order.id}/cancel`, { customer });

    const notConfirmed = await api(harness, 'POST', `/api/orders/${pending.order.id}/cancel`, {
      customer: pending.customer,
    });
    const twice = await api(harness, 'POST', `/api/orders/${order.id}/cancel`, { customer });

    expect(notConfirmed.status).toBe(409);
    expect(twice.status).toBe(409);
  });

  test('when someone else cancels the order, then 404', async () => {
    const { order } = await placed();
    const stranger = await newCustomer(harness);

    const response = await api(harness, 'POST', `/api/orders/${order.id}/cancel`, {
      customer: stranger,
    });

    expect(response.status).toBe(404);
  });
});

describe('restarting the service', () => {
  test('when the service is stopped mid-saga and a new instance starts, then the saga completes', async () => {
    const { customer, order } = await placed();
    await reserve(order);
    const authorizeCommand = await player.awaitSent(order.id, 'AuthorizePayment');

    await harness.restart();
    await player.reply(
      'PaymentAuthorized',
      { orderId: order.id, paymentId: randomUUID(), amountCents: 1000, currency: 'EUR' },
      authorizeCommand,
    );
    await commit(order);
    const final = await awaitStatus(harness, customer, order.id, 'CONFIRMED');

    expect(final.history.map((entry) => entry.status)).toEqual([
      'PENDING',
      'STOCK_RESERVED',
      'CONFIRMED',
    ]);
  }, 60_000);
});
