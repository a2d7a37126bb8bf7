import type { Pool } from '@shop/postgres';
import type { Handler } from '../../src';
import type { CounterIncremented } from './test-event';

export const countersTable = `
  CREATE TABLE counters (counter_id text PRIMARY KEY, value integer NOT NULL, traceparent text);
  CREATE TABLE arrivals (seq serial PRIMARY KEY, counter_id text NOT NULL)`;

/**
 * An effect that is not idempotent on its own (it increments), so only the inbox stands between
 * a redelivery and a double count.
 */
export const incrementCounter: Handler<CounterIncremented> = async (message, tx, context) => {
  await tx.query(
    `INSERT INTO counters (counter_id, value, traceparent) VALUES ($1, 1, $2)
     ON CONFLICT (counter_id) DO UPDATE SET value = counters.value + 1, traceparent = $2`,
    [message.payload.counterId, context.traceparent ?? null],
  );
  await tx.query('INSERT INTO arrivals (counter_id) VALUES ($1)', [message.payload.counterId]);
};

export async function counter(
  pool: Pool,
  counterId: string,
): Promise<{ value: number; traceparent: string | null } | undefined> {
  const { rows } = await pool.query<{ value: number; traceparent: string | null }>(
    'SELECT value, traceparent FROM counters WHERE counter_id = $1',
    [counterId],
  );
  return rows[0];
}
