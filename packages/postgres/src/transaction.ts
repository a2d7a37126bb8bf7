import type { Pool, PoolClient } from 'pg';
import { sleep } from './sleep';

/** What a unit of work may do with its transaction: query, never release or commit it. */
export type Tx = Pick<PoolClient, 'query'>;

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

export interface TransactionOptions {
  isolationLevel?: IsolationLevel;
  /**
   * How many times to run the work again when Postgres aborts it for a serialization failure or a
   * deadlock. Those are the two errors that a retry of the whole transaction is meant to fix
   * (https://www.postgresql.org/docs/current/mvcc-serialization-failure-handling.html). The work
   * must then be safe to run again: no side effects outside the transaction.
   */
  retries?: number;
  /** Refuse writes: a read that only needs one consistent view of the data. */
  readOnly?: boolean;
}

const retriableSqlStates = new Set(['40001', '40P01']);

export function isRetriableTransactionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && retriableSqlStates.has(code);
}

export async function withTransaction<T>(
  pool: Pool,
  work: (tx: Tx) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const retries = options.retries ?? 0;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await runOnce(pool, work, beginStatement(options));
    } catch (error) {
      if (attempt >= retries || !isRetriableTransactionError(error)) throw error;
      await sleep(Math.random() * 20 * 2 ** attempt);
    }
  }
}

/**
 * Runs several reads against one snapshot of the database, so that they agree with each other: a
 * page and its total count, or counts that are compared. Separate statements outside a transaction
 * each see whatever had committed when they ran, and a write landing between them shows in one and
 * not the other (a page of two items under a total of three).
 */
export function withSnapshot<T>(pool: Pool, read: (tx: Tx) => Promise<T>): Promise<T> {
  return withTransaction(pool, read, { isolationLevel: 'repeatable read', readOnly: true });
}

function beginStatement({ isolationLevel, readOnly }: TransactionOptions): string {
  const modes = [
    ...(isolationLevel ? [`ISOLATION LEVEL ${isolationLevel}`] : []),
    ...(readOnly ? ['READ ONLY'] : []),
  ];
  return ['BEGIN', modes.join(', ')].filter(Boolean).join(' ');
}

async function runOnce<T>(pool: Pool, work: (tx: Tx) => Promise<T>, begin: string): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  // A checked-out client has no pool listener; its connection dying must not crash the process.
  client.on('error', onError);
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.off('error', onError);
    // A client whose connection failed is destroyed rather than handed to the next caller.
    client.release(broken);
  }
}
