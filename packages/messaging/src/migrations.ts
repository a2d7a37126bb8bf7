import { join } from 'node:path';

/**
 * The outbox and inbox tables. A service adds this folder to the `dirs` it gives
 * `runMigrations` from @shop/postgres; it keeps its own migration history table.
 */
export const messagingMigrationsDir = join(__dirname, '..', 'migrations');
