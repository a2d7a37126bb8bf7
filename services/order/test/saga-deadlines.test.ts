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
  harness = await startOrder({ STEP_TIMEOUT: '1s', SAGA_TIMEOUT: '5s', SAGA_TICK: '100ms' });
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
    expect(compensating.steps[0]!.attempts).toBeGreaterThanOrEqual(2);
    expect(player.sent(order.id, 'ReserveStock').length).toBe(compensating.steps[0]!.attempts);
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
