export { createPool } from './pool';
export type { PoolOptions } from './pool';
export { withTransaction, withSnapshot, isRetriableTransactionError } from './transaction';
export type { Tx, IsolationLevel, TransactionOptions } from './transaction';
export { runMigrations } from './migrations';
export type { Logger, MigrationDir, RunMigrationsOptions } from './migrations';
export type { Pool } from 'pg';
