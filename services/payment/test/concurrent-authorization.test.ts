import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { topics } from '@shop/contracts';
import { messagingMigrationsDir } from '@shop/messaging';
import { createPool, runMigrations, type Pool } from '@shop/postgres';
import { createScratchDatabase, type ScratchDatabase } from '@shop/postgres/testing';
import type { CardProcessor } from '../src/domain/card-processor';
import { authorizePayment } from '../src/domain/authorize-payment';
import { recordAfterInbox } from '../src/messaging/record-after';
import { logger } from './support/environment';
import { authorizePayment as authorizeCommand } from './support/messages';

jest.setTimeout(30_000);

let database: ScratchDatabase;
let pool: Pool;

beforeAll(async () => {
  database = await createScratchDatabase(process.env.POSTGRES_ADMIN_URL!);
  await runMigrations({
    databaseUrl: database.url,
    dirs: [path.join(__dirname, '..', 'migrations'), messagingMigrationsDir],
    logger,
  });
  pool = createPool({ connectionString: database.url, max: 4, applicationName: 'payment-test' });
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

/** A processor that answers only once `expected` calls are waiting: both copies are past the check. */
function processorHoldingUntil(expected: number): CardProcessor & { calls: number } {
  let release: () => void = () => undefined;
  const allIn = new Promise<void>((resolve) => (release = resolve));
  return {
    calls: 0,
    async authorize() {
      this.calls += 1;
      if (this.calls === expected) release();
      await allIn;
      return { status: 'approved', authorizationCode: randomUUID().slice(0, 6).toUpperCase() };
    },
  };
}

it('when two copies of an AuthorizePayment race, then the unique order id keeps one payment and both answer with it', async () => {
  const processor = processorHoldingUntil(2);
  const command = authorizeCommand({ paymentToken: 'tok_visa' });
  const { orderId } = command.payload;
  const inbox = recordAfterInbox(pool);
  const deps = { processor, retryPolicy: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 }, logger };
  const copy = (messageId: string) =>
    inbox.applyOnce({ consumer: 'payment', messageId, topic: topics.paymentCommands }, (unit) =>
      authorizePayment(unit, command.payload, deps, {
        correlationId: orderId,
        causationId: messageId,
      }).then(() => undefined),
    );

  const applied = await Promise.all([copy(command.id), copy(randomUUID())]);

  expect(applied).toEqual([true, true]);
  expect(processor.calls).toBe(2);
  const { rows: payments } = await pool.query<{ id: string }>(
    'SELECT id FROM payments WHERE order_id = $1',
    [orderId],
  );
  expect(payments).toHaveLength(1);
  const { rows: outbox } = await pool.query<{
    envelope: { type: string; payload: { paymentId: string } };
  }>('SELECT envelope FROM outbox WHERE key = $1', [orderId]);
  expect(outbox.map(({ envelope }) => [envelope.type, envelope.payload.paymentId])).toEqual([
    ['PaymentAuthorized', payments[0]!.id],
    ['PaymentAuthorized', payments[0]!.id],
  ]);
});

it('when the same message is applied twice at once, then the second is skipped and answers nothing', async () => {
  const processor = processorHoldingUntil(2);
  const command = authorizeCommand({ paymentToken: 'tok_visa' });
  const { orderId } = command.payload;
  const inbox = recordAfterInbox(pool);
  const deps = { processor, retryPolicy: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 }, logger };
  const copy = () =>
    inbox.applyOnce(
      { consumer: 'payment', messageId: command.id, topic: topics.paymentCommands },
      (unit) =>
        authorizePayment(unit, command.payload, deps, {
          correlationId: orderId,
          causationId: command.id,
        }).then(() => undefined),
    );

  const applied = await Promise.all([copy(), copy()]);

  expect(applied.sort()).toEqual([false, true]);
  const { rows: outbox } = await pool.query('SELECT 1 FROM outbox WHERE key = $1', [orderId]);
  expect(outbox).toHaveLength(1);
});
