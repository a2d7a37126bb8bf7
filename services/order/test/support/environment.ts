import { randomUUID } from 'node:crypto';
import { startTestIssuer, type TestIssuer } from '@shop/auth/testing';
import {
  createMessage,
  partitionKeyOf,
  topics,
  type Message,
  type MessageOf,
  type MessageType,
  type Order,
  type PayloadOf,
  type PlaceOrderBody,
  type Product,
  type SagaTimeline,
} from '@shop/contracts';
import { kafkaTestKit } from '@shop/messaging/testing';
import { createPool, type Pool } from '@shop/postgres';
import { createScratchDatabase, type ScratchDatabase } from '@shop/postgres/testing';
import { createLogger } from '@shop/service-kit';
import { readConfig, type Config } from '../../src/config';
import { startService, type RunningService } from '../../src/service';
import { startUpstreamStubs, type UpstreamStubs } from './upstream-stubs';
import { waitFor } from '@shop/testkit';
import { uniqueName } from '@shop/testkit';

export const logger = createLogger({
  service: 'order-test',
  level: (process.env.TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent',
});

export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: is the infrastructure up?`);
  return value;
}

export { uniqueName };

/** This test file's topic namespace, where the saga player plays inventory and payment. */
const kafka = kafkaTestKit({ clientId: 'order-test', logger });

export interface OrderUnderTest {
  url: string;
  issuer: TestIssuer;
  stubs: UpstreamStubs;
  /** The service's database, to look at what it stored. */
  pool: Pool;
  /** Stops the running instance (mid-saga, say) and starts a new one on the same database. */
  restart(): Promise<void>;
  /** Also deletes the file's topics: stop the file's saga player first. */
  close(): Promise<void>;
}

/** The service in-process on port 0: scratch database, fresh group, test issuer, stubbed upstreams. */
export async function startOrder(env: Record<string, string> = {}): Promise<OrderUnderTest> {
  const database: ScratchDatabase = await createScratchDatabase(required('POSTGRES_ADMIN_URL'));
  const issuer = await startTestIssuer();
  const stubs = await startUpstreamStubs();
  const config: Config = readConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    KAFKA_BROKERS: kafka.brokers,
    KAFKA_CONSUMER_GROUP: uniqueName('order-test'),
    KAFKA_TOPIC_PREFIX: kafka.prefix,
    JWKS_URL: issuer.jwksUrl,
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    CART_URL: stubs.cartUrl,
    CATALOG_URL: stubs.catalogUrl,
    STEP_TIMEOUT: '1s',
    SAGA_TIMEOUT: '4s',
    SAGA_TICK: '100ms',
    // Tests of other behaviours leave orders open on purpose; admission.test.ts turns it on.
    ADMISSION_CONTROL: 'false',
    ...env,
  });
  const start = () =>
    startService(
      { ...config, PORT: 0 },
      {
        logger,
        consumer: {
          sessionTimeoutMs: 10_000,
          heartbeatIntervalMs: 1_000,
          backoff: { baseMs: 100, maxMs: 500 },
        },
      },
    );
  await kafka.ready();
  let service: RunningService = await start();
  const pool = createPool({
    connectionString: database.url,
    max: 2,
    applicationName: 'order-test',
  });
  const harness: OrderUnderTest = {
    url: service.url,
    issuer,
    stubs,
    pool,
    async restart() {
      await service.stop();
      service = await start();
      harness.url = service.url;
    },
    async close() {
      await service.stop();
      await kafka.drop();
      await pool.end();
      await stubs.close();
      await issuer.close();
      await database.drop();
    },
  };
  return harness;
}

/**
 * Plays inventory and payment in the file's topic namespace: reads the saga's commands (and the
 * order events) with a group of its own, filtered by the test's order ids, and produces replies
 * straight to Kafka.
 */
export interface SagaPlayer {
  /** What the saga sent about one order, of one type, in arrival order. */
  sent<T extends MessageType>(orderId: string, type: T): Array<MessageOf<T>>;
  /** Waits until `count` messages of the type were sent for the order; the last of them. */
  awaitSent<T extends MessageType>(orderId: string, type: T, count?: number): Promise<MessageOf<T>>;
  /** A reply as inventory or payment sends it: correlated by order, caused by `command`. */
  reply<T extends MessageType>(type: T, payload: PayloadOf<T>, command?: Message): Promise<Message>;
  stop(): Promise<void>;
}

export async function startSagaPlayer(): Promise<SagaPlayer> {
  const received = await kafka.collect(
    topics.inventoryCommands,
    topics.paymentCommands,
    topics.orderEvents,
  );
  const sent = <T extends MessageType>(orderId: string, type: T) =>
    received.envelopes(type, orderId);

  return {
    sent,
    awaitSent: (orderId, type, count = 1) =>
      waitFor(
        () => {
          const messages = sent(orderId, type);
          return messages.length >= count ? messages[count - 1] : undefined;
        },
        { what: `${type} #${count} for order ${orderId}` },
      ),
    async reply(type, payload, command) {
      const message = createMessage(type, payload, {
        source: 'order-test',
        correlationId: partitionKeyOf({ type, payload }),
        ...(command === undefined ? {} : { causationId: command.id }),
      }) as Message;
      await kafka.publish(message);
      return message;
    },
    stop: () => received.stop(),
  };
}

export interface Customer {
  id: string;
  authorization: string;
}

export async function newCustomer(
  harness: OrderUnderTest,
  role: 'customer' | 'admin' = 'customer',
): Promise<Customer> {
  const id = randomUUID();
  return { id, authorization: `Bearer ${await harness.issuer.tokenFor(role, id)}` };
}

/** A customer with a cart of fresh products in the catalog stub. */
export async function customerWithCart(
  harness: OrderUnderTest,
  lines: Array<{ quantity: number; priceCents?: number }> = [{ quantity: 2 }],
): Promise<Customer & { products: Product[] }> {
  const customer = await newCustomer(harness);
  const products = lines.map(({ priceCents }) =>
    harness.stubs.putProduct(priceCents === undefined ? {} : { priceCents }),
  );
  harness.stubs.putCart(
    customer.authorization,
    products.map((product, index) => ({ product, quantity: lines[index]!.quantity })),
  );
  return { ...customer, products };
}

export function checkoutBody(paymentToken = 'tok_visa'): PlaceOrderBody {
  return {
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '12 Analytical Row',
      city: 'London',
      postalCode: 'N1 7AA',
      country: 'GB',
    },
    paymentToken,
  };
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export async function api<T = unknown>(
  harness: OrderUnderTest,
  method: 'GET' | 'POST',
  path: string,
  options: { customer?: Customer; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const response = await fetch(`${harness.url}${path}`, {
    method,
    headers: {
      ...(options.customer ? { authorization: options.customer.authorization } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text === '' ? undefined : JSON.parse(text)) as T,
  };
}

export async function placeOrder(
  harness: OrderUnderTest,
  customer: Customer,
  { key = randomUUID(), body = checkoutBody() }: { key?: string; body?: PlaceOrderBody } = {},
): Promise<ApiResponse<Order>> {
  return api<Order>(harness, 'POST', '/api/orders', {
    customer,
    body,
    headers: { 'idempotency-key': key },
  });
}

export async function orderOf(
  harness: OrderUnderTest,
  customer: Customer,
  orderId: string,
): Promise<Order> {
  const { status, body } = await api<Order>(harness, 'GET', `/api/orders/${orderId}`, { customer });
  if (status !== 200) throw new Error(`GET order answered ${status}`);
  return body;
}

export async function sagaOf(
  harness: OrderUnderTest,
  customer: Customer,
  orderId: string,
): Promise<SagaTimeline> {
  const { body } = await api<SagaTimeline>(harness, 'GET', `/api/orders/${orderId}/saga`, {
    customer,
  });
  return body;
}

/** Waits for the order to reach `status`; the order as it then is. */
export function awaitStatus(
  harness: OrderUnderTest,
  customer: Customer,
  orderId: string,
  status: Order['status'],
): Promise<Order> {
  return waitFor(
    async () => {
      const order = await orderOf(harness, customer, orderId);
      return order.status === status ? order : undefined;
    },
    { what: `order ${orderId} to be ${status}` },
  );
}

/** Plays inventory refusing the order's reservation, and waits for the order to be CANCELLED. */
export async function cancelByShortage(
  harness: OrderUnderTest,
  player: SagaPlayer,
  customer: Customer,
  order: Order,
): Promise<void> {
  const reserve = await player.awaitSent(order.id, 'ReserveStock');
  await player.reply(
    'StockReservationFailed',
    {
      orderId: order.id,
      reason: 'OUT_OF_STOCK',
      shortages: reserve.payload.lines.map(({ productId, quantity }) => ({
        productId,
        requested: quantity,
        available: 0,
      })),
    },
    reserve,
  );
  await awaitStatus(harness, customer, order.id, 'CANCELLED');
}
