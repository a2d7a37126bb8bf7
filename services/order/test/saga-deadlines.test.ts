import { randomUUID } from 'node:crypto';
import type { Order } from '@shop/contracts';
import {
  awaitStatus,
  customerWithCart,
  placeOrder,
  sagaOf,
  startOrder,
  startSagaPlayer,
  type Customer,
  type OrderUnderTest,
  type SagaPlayer,
} from './support/environment';
import { waitFor } from '@shop/testkit';

jest.setTimeout(60_000);

let harness: OrderUnderTest;
let player: SagaPlayer;

beforeAll(async () => {
  harness = await startOrder({
    STEP_TIMEOUT: '1s',
    STEP_MAX_SENDS: '2',
    SAGA_TIMEOUT: '5s',
    SAGA_TICK: '100ms',
  });
  player = await startSagaPlayer();
}, 60_000);

afterAll(async () => {
  await player?.stop();
  await harness?.close();
}, 60_000);

async function placed(): Promise<{ customer: Customer; order: Order }> {
  const customer = await customerWithCart(harness, [{ quantity: 1, priceCents: 700 }]);
  const { status, body } = await placeOrder(harness, customer);
  if (status !== 202) throw new Error(`placing the order answered ${status}`);
  return { customer, order: body };
}

async function timedOutWhileReserving(): Promise<{ customer: Customer; order: Order }> {
  const { customer, order } = await placed();
  const release = await player.awaitSent(order.id, 'ReleaseStock');
  await player.reply('StockReleased', { orderId: order.id, reason: 'TIMEOUT' }, release);
  await awaitStatus(harness, customer, order.id, 'CANCELLED');
  return { customer, order };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sentAt = (message: { occurredAt: string }) => new Date(message.occurredAt).getTime();

// First in the file: the step latency it measures is the only one in the timer's window.
describe('deadlines under load (the measured step latency)', () => {
  test('when replies take 3 s, then an unanswered command is re-sent only after 3 s and the saga is given its steps’ time before it times out', async () => {
    // A reply that took 3 s: what the timer now knows of the queues. (It answers the copy re-sent
    // at STEP_TIMEOUT, the last one the budget allows: latency is timed from the copy answered.)
    const slow = await placed();
    const reserve = await player.awaitSent(slow.order.id, 'ReserveStock', 2);
    await sleep(Math.max(0, sentAt(reserve) + 3_000 - Date.now()));
    await player.reply('StockReserved', reserve.payload, reserve);
    await awaitStatus(harness, slow.customer, slow.order.id, 'STOCK_RESERVED');

    const { customer, order } = await placed();
    const placedAt = Date.now();
    const resent = await player.awaitSent(order.id, 'ReserveStock', 2);
    await sleep(Math.max(0, placedAt + 6_000 - Date.now()));
    const pastFixedDeadline = await sagaOf(harness, customer, order.id);
    const release = await player.awaitSent(order.id, 'ReleaseStock');
    await player.reply('StockReleased', { orderId: order.id, reason: 'TIMEOUT' }, release);
    const final = await awaitStatus(harness, customer, order.id, 'CANCELLED');

    const first = player.sent(order.id, 'ReserveStock')[0]!;
    // Not at STEP_TIMEOUT (1 s): the command could still be waiting in a queue.
    expect(sentAt(resent) - sentAt(first)).toBeGreaterThanOrEqual(2_500);
    // SAGA_TIMEOUT (5 s) has passed, yet it still waits: 3 steps × 3 s more were allowed.
    expect(pastFixedDeadline).toMatchObject({ orderStatus: 'PENDING' });
    expect(pastFixedDeadline.compensations).toEqual([]);
    expect(sentAt(release) - placedAt).toBeGreaterThanOrEqual(9_000);
    expect(final.failureReason).toBe('TIMEOUT');
    // The budget (STEP_MAX_SENDS=2) held however long the saga waited.
    expect(player.sent(order.id, 'ReserveStock')).toHaveLength(2);
  });
});

describe('saga deadlines', () => {
  test('when inventory never answers, then past the deadline the stock is released and the order CANCELLED(TIMEOUT)', async () => {
    const { customer, order } = await placed();

    const release = await player.awaitSent(order.id, 'ReleaseStock');
    const compensating = await sagaOf(harness, customer, order.id);
    await player.reply('StockReleased', { orderId: order.id, reason: 'TIMEOUT' }, release);
    const final = await awaitStatus(harness, customer, order.id, 'CANCELLED');

    expect(release.payload).toEqual({ orderId: order.id, reason: 'TIMEOUT' });
    expect(compensating).toMatchObject({ status: 'COMPENSATING', orderStatus: 'PENDING' });
    expect(compensating.steps[0]).toMatchObject({ name: 'RESERVE_STOCK', status: 'TIMED_OUT' });
    // Sent twice, the retry budget (STEP_MAX_SENDS), though a third wait would have fit.
    expect(compensating.steps[0]!.attempts).toBe(2);
    expect(player.sent(order.id, 'ReserveStock')).toHaveLength(2);
    expect(final).toMatchObject({ failureReason: 'TIMEOUT' });
    expect(final.history.map((entry) => entry.status)).toEqual(['PENDING', 'CANCELLED']);
    expect((await sagaOf(harness, customer, order.id)).compensations).toEqual([
      expect.objectContaining({ name: 'RELEASE_STOCK', status: 'SUCCEEDED' }),
    ]);
  });

  test('when StockReserved arrives after the timeout cancelled the order, then the stock is released again', async () => {
    const { customer, order } = await timedOutWhileReserving();
    const reserve = player.sent(order.id, 'ReserveStock')[0]!;

    const late = await player.reply('StockReserved', reserve.payload, reserve);
    const compensation = await waitFor(() =>
      player.sent(order.id, 'ReleaseStock').find((command) => command.causationId === late.id),
    );
    const after = await sagaOf(harness, customer, order.id);

    expect(compensation.payload).toEqual({ orderId: order.id, reason: 'TIMEOUT' });
    expect(after.orderStatus).toBe('CANCELLED');
    expect(player.sent(order.id, 'AuthorizePayment')).toEqual([]);
  });

  test('when the commit is never answered, then past the deadline stock is released and payment refunded', async () => {
    const { customer, order } = await placed();
    const reserve = await player.awaitSent(order.id, 'ReserveStock');
    await player.reply('StockReserved', reserve.payload, reserve);
    const authorize = await player.awaitSent(order.id, 'AuthorizePayment');
    const paymentId = randomUUID();
    await player.reply(
      'PaymentAuthorized',
      { orderId: order.id, paymentId, amountCents: 700, currency: 'EUR' },
      authorize,
    );
    await player.awaitSent(order.id, 'CommitStock');

    const release = await player.awaitSent(order.id, 'ReleaseStock');
    const refund = await player.awaitSent(order.id, 'RefundPayment');
    await player.reply('StockReleased', { orderId: order.id, reason: 'TIMEOUT' }, release);
    await player.reply(
      'PaymentRefunded',
      { orderId: order.id, paymentId, refundId: randomUUID(), amountCents: 700, currency: 'EUR' },
      refund,
    );
    const final = await awaitStatus(harness, customer, order.id, 'CANCELLED');

    expect(release.payload).toEqual({ orderId: order.id, reason: 'TIMEOUT' });
    expect(refund.payload).toEqual({
      orderId: order.id,
      amountCents: 700,
      currency: 'EUR',
      reason: 'TIMEOUT',
    });
    expect(final.failureReason).toBe('TIMEOUT');
    expect(player.sent(order.id, 'OrderConfirmed')).toEqual([]);
    expect(await sagaOf(harness, customer, order.id)).toMatchObject({
      status: 'COMPENSATED',
      steps: [
        { name: 'RESERVE_STOCK', status: 'SUCCEEDED' },
        { name: 'AUTHORIZE_PAYMENT', status: 'SUCCEEDED' },
        { name: 'COMMIT_STOCK', status: 'TIMED_OUT' },
      ],
      compensations: [
        { name: 'RELEASE_STOCK', status: 'SUCCEEDED' },
        { name: 'REFUND_PAYMENT', status: 'SUCCEEDED' },
      ],
    });
  });

  test('when payment never answers, then once the stock is back the order is CANCELLED(TIMEOUT) while the saga still awaits payment', async () => {
    const { customer, order } = await placed();
    const reserve = await player.awaitSent(order.id, 'ReserveStock');
    await player.reply('StockReserved', reserve.payload, reserve);
    const release = await player.awaitSent(order.id, 'ReleaseStock');

    await player.reply('StockReleased', { orderId: order.id, reason: 'TIMEOUT' }, release);
    const final = await awaitStatus(harness, customer, order.id, 'CANCELLED');

    expect(final.failureReason).toBe('TIMEOUT');
    const saga = await sagaOf(harness, customer, order.id);
    expect(saga.status).toBe('COMPENSATING');
    expect(player.sent(order.id, 'CommitStock')).toEqual([]);
  });

  test('when payment authorizes only after the deadline, then the late authorization is refunded', async () => {
    const { customer, order } = await placed();
    const reserve = await player.awaitSent(order.id, 'ReserveStock');
    await player.reply('StockReserved', reserve.payload, reserve);
    const release = await player.awaitSent(order.id, 'ReleaseStock');

    await player.reply('StockReleased', { orderId: order.id, reason: 'TIMEOUT' }, release);
    const authorize = await player.awaitSent(order.id, 'AuthorizePayment');
    const paymentId = randomUUID();
    await player.reply(
      'PaymentAuthorized',
      { orderId: order.id, paymentId, amountCents: 700, currency: 'EUR' },
      authorize,
    );
    const refund = await player.awaitSent(order.id, 'RefundPayment');
    await player.reply(
      'PaymentRefunded',
      { orderId: order.id, paymentId, refundId: randomUUID(), amountCents: 700, currency: 'EUR' },
      refund,
    );
    const final = await awaitStatus(harness, customer, order.id, 'CANCELLED');

    expect(final.failureReason).toBe('TIMEOUT');
    expect(player.sent(order.id, 'CommitStock')).toEqual([]);
  });
});
