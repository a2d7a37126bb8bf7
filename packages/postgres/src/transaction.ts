import type { Pool, PoolClient } from 'pg';

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
      return await runOnce(pool, work, options.isolationLevel);
    } catch (error) {
      if (attempt >= retries || !isRetriableTransactionError(error)) throw error;
      await delay(Math.random() * 20 * 2 ** attempt);
    }
  }
}

async function runOnce<T>(
  pool: Pool,
  work: (tx: Tx) => Promise<T>,
  isolationLevel: IsolationLevel | undefined,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  // A checked-out client has no pool listener; its connection dying must not crash the process.
  client.on('error', onError);
  try {
    await client.query(isolationLevel ? `BEGIN ISOLATION LEVEL ${isolationLevel}` : 'BEGIN');
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

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
