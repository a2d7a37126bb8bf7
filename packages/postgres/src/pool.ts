import { Pool } from 'pg';
import { PreparingClient } from './prepared-statements';

export interface PoolOptions {
  connectionString: string;
  max?: number;
  /** Shows up in pg_stat_activity, so a stuck query can be traced to its service. */
  applicationName?: string;
  /** Server-side cap on any one statement; a runaway query fails instead of holding a connection. */
  statementTimeoutMs?: number;
  onError?: (error: Error) => void;
}

/**
 * A pg pool that survives its connections dying. An idle client whose backend goes away (server
 * restart, idle kill) emits 'error' on the pool, and an EventEmitter 'error' without a listener
 * crashes the process (https://node-postgres.com/apis/pool#error), so one is always attached.
 * Its connections prepare each parameterised statement once (`PreparingClient`).
 */
export function createPool(options: PoolOptions): Pool {
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName,
    statement_timeout: options.statementTimeoutMs,
    connectionTimeoutMillis: 10_000,
    Client: PreparingClient,
  });
  pool.on('error', options.onError ?? (() => undefined));
  return pool;
}
