import { randomUUID } from 'node:crypto';
import type { Order, OrderSnapshot } from '@shop/contracts';
import { openEventStream, type OpenedStream, type ReceivedEvent } from '@shop/testkit';
import {
  cancelByShortage,
  customerWithCart,
  newCustomer,
  placeOrder,
  startOrder,
  startSagaPlayer,
  type Customer,
  type OrderUnderTest,
  type SagaPlayer,
} from './support/environment';

/**
 * GET /api/orders/:id/events: the live order page's feed. Each saga step is played by hand, and
 * the stream must show it before the next one is played: it follows the saga, it does not just
 * report the end.
 */
jest.setTimeout(60_000);

let harness: OrderUnderTest;
let player: SagaPlayer;
const streams: OpenedStream[] = [];

beforeAll(async () => {
  harness = await startOrder({ STEP_TIMEOUT: '10s', SAGA_TIMEOUT: '30s' });
  player = await startSagaPlayer();
}, 60_000);

afterEach(() => {
  for (const stream of streams.splice(0)) stream.close();
});

afterAll(async () => {
  await player?.stop();
  await harness?.close();
}, 60_000);

async function placed(): Promise<{ customer: Customer; order: Order }> {
  const customer = await customerWithCart(harness, [{ quantity: 1, priceCents: 1_200 }]);
  const { status, body } = await placeOrder(harness, customer);
  if (status !== 202) throw new Error(`placing the order answered ${status}`);
  return { customer, order: body };
}

async function follow(customer: Customer, orderId: string): Promise<OpenedStream> {
  const stream = await openEventStream(`${harness.url}/api/orders/${orderId}/events`, {
    authorization: customer.authorization,
  });
  streams.push(stream);
  return stream;
}

const snapshotWhere =
  (predicate: (snapshot: OrderSnapshot) => boolean) =>
  (event: ReceivedEvent): boolean =>
    event.event === 'order' && predicate(event.data as OrderSnapshot);

const stepStatus = (snapshot: OrderSnapshot, name: string) =>
  snapshot.saga.steps.find((step) => step.name === name)?.status;

test('when a customer follows an order, then each saga step arrives as it happens, and the stream ends once the order is CONFIRMED', async () => {
  const { customer, order } = await placed();
  const stream = await follow(customer, order.id);
  expect(stream.status).toBe(200);
  expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
  await stream.next(snapshotWhere((snapshot) => snapshot.order.id === order.id));

  const reserve = await player.awaitSent(order.id, 'ReserveStock');
  await player.reply('StockReserved', reserve.payload, reserve);
  await stream.next(snapshotWhere((snapshot) => snapshot.order.status === 'STOCK_RESERVED'));

  const authorize = await player.awaitSent(order.id, 'AuthorizePayment');
  await player.reply(
    'PaymentAuthorized',
    {
      orderId: order.id,
      paymentId: randomUUID(),
      amountCents: authorize.payload.amountCents,
      currency: authorize.payload.currency,
    },
    authorize,
  );
  const authorized = await stream.next(
    snapshotWhere((snapshot) => stepStatus(snapshot, 'AUTHORIZE_PAYMENT') === 'SUCCEEDED'),
  );
  expect((authorized.data as OrderSnapshot).order.status).toBe('STOCK_RESERVED');

  const commit = await player.awaitSent(order.id, 'CommitStock');
  await player.reply('StockCommitted', { orderId: order.id }, commit);
  await stream.next((event) => event.event === 'end');
  await stream.ended;

  const last = stream.events.filter((event) => event.event === 'order').at(-1)!
    .data as OrderSnapshot;
  expect(last.order.status).toBe('CONFIRMED');
  expect(last.saga.status).toBe('COMPLETED');
  expect(last.saga.steps.map((step) => step.status)).toEqual([
    'SUCCEEDED',
    'SUCCEEDED',
    'SUCCEEDED',
  ]);
  // Each snapshot is news: none is sent twice in a row.
  const sent = stream.events.map((event) => JSON.stringify(event.data));
  expect(new Set(sent).size).toBe(sent.length);
});

test('when an order has already ended, then its stream sends it once and ends at once', async () => {
  const { customer, order } = await placed();
  await cancelByShortage(harness, player, customer, order);
  const ended = await follow(customer, order.id);
  await ended.ended;
  const events = ended.events.map((event) => event.event);
  expect(events.at(-1)).toBe('end');
  const last = ended.events.filter((event) => event.event === 'order').at(-1)!
    .data as OrderSnapshot;
  expect(last).toMatchObject({
    order: { status: 'CANCELLED', failureReason: 'OUT_OF_STOCK' },
    saga: { status: 'COMPENSATED' },
  });

  const again = await follow(customer, order.id);
  await again.ended;
  expect(again.events.map((event) => event.event)).toEqual(['order', 'end']);
});

test('when another customer asks for the stream, then it is 404 like any order of someone else', async () => {
  const { order } = await placed();
  const stranger = await newCustomer(harness);
  const response = await fetch(`${harness.url}/api/orders/${order.id}/events`, {
    headers: { authorization: stranger.authorization },
  });
  expect(response.status).toBe(404);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
});

test('when the listening connection is killed, then the stream still follows the saga once it is back', async () => {
  const { customer, order } = await placed();
  const stream = await follow(customer, order.id);
  await stream.next(snapshotWhere((snapshot) => snapshot.order.id === order.id));

  const { rows } = await harness.pool.query<{ killed: boolean }>(
    `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
     WHERE datname = current_database() AND application_name = 'order (listen)'`,
  );
  expect(rows).toEqual([{ killed: true }]);

  const reserve = await player.awaitSent(order.id, 'ReserveStock');
  await player.reply('StockReserved', reserve.payload, reserve);
  await stream.next(snapshotWhere((snapshot) => snapshot.order.status === 'STOCK_RESERVED'));
});
