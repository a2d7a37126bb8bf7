import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthUser } from '@shop/auth';
import type { OrderSnapshot, OrderStatus } from '@shop/contracts';
import { createLogger } from '@shop/service-kit';
import { openEventStream } from '@shop/testkit';
import express from 'express';
import type { OrderChanges } from '../src/data/order-changes';
import { streamOrderEvents } from '../src/http/order-event-stream';

/**
 * The stream's own logic, with its database and its NOTIFY feed replaced by hand-driven fakes:
 * when a change is announced decides what is read and sent. (order-events.test.ts runs it for
 * real.)
 */
const logger = createLogger({ service: 'order-stream-test', level: 'silent' });
const orderId = randomUUID();
const customer: AuthUser = { id: randomUUID(), role: 'customer' };

function snapshot(status: OrderStatus): OrderSnapshot {
  const settled = status === 'CONFIRMED' || status === 'CANCELLED';
  return {
    order: { id: orderId, status } as OrderSnapshot['order'],
    saga: {
      status: settled ? (status === 'CONFIRMED' ? 'COMPLETED' : 'COMPENSATED') : 'RUNNING',
    } as OrderSnapshot['saga'],
  };
}

/** One subscriber's announcements, fired by the test. */
function handDrivenChanges(): OrderChanges & { announce(): void } {
  let listener: (() => void) | undefined;
  return {
    subscribe(_orderId, onChange) {
      listener = onChange;
      return () => (listener = undefined);
    },
    announce: () => listener?.(),
    close: () => Promise.resolve(),
  };
}

let server: Server;
let url: string;
let deps: Parameters<typeof streamOrderEvents>[0];

beforeAll(async () => {
  const app = express();
  app.get('/events', (req, res, next) => {
    streamOrderEvents(deps, customer, orderId, req, res).catch(next);
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('when a change is announced while the first read is still under way, then the stream reads again and later changes still arrive', async () => {
  const changes = handDrivenChanges();
  let status: OrderStatus = 'PENDING';
  let reads = 0;
  deps = {
    changes,
    logger,
    readSnapshot: () => {
      reads += 1;
      const read = snapshot(status);
      // The saga moves on, and says so, before the first read has answered.
      if (reads === 1) {
        status = 'STOCK_RESERVED';
        changes.announce();
      }
      return Promise.resolve(read);
    },
  };

  const stream = await openEventStream(url);
  await stream.next(
    (event) => (event.data as OrderSnapshot).order?.status === 'STOCK_RESERVED',
    5_000,
  );

  status = 'CANCELLED';
  changes.announce();
  await stream.next((event) => event.event === 'end', 5_000);
  expect(
    stream.events.map((event) =>
      event.event === 'end' ? 'end' : (event.data as OrderSnapshot).order.status,
    ),
  ).toEqual(['PENDING', 'STOCK_RESERVED', 'CANCELLED', 'end']);
});

test('when changes are announced during a read, then they are covered by one more read, not one each', async () => {
  const changes = handDrivenChanges();
  let status: OrderStatus = 'PENDING';
  let reads = 0;
  let release: (() => void) | undefined;
  deps = {
    changes,
    logger,
    readSnapshot: async () => {
      reads += 1;
      const read = snapshot(status);
      if (reads === 2) await new Promise<void>((resolve) => (release = resolve));
      return read;
    },
  };

  const stream = await openEventStream(url);
  await stream.next((event) => event.event === 'order', 5_000);
  status = 'STOCK_RESERVED';
  changes.announce();
  // The second read is held; three more announcements arrive meanwhile.
  while (!release) await new Promise((resolve) => setTimeout(resolve, 5));
  status = 'CONFIRMED';
  changes.announce();
  changes.announce();
  changes.announce();
  release();

  await stream.next((event) => event.event === 'end', 5_000);
  expect(reads).toBe(3);
});
