import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { runner } from 'node-pg-migrate';
import { Client } from 'pg';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * A folder of `.sql` migrations (node-pg-migrate's `-- Up Migration` / `-- Down Migration`
 * format). SQL rather than TypeScript files, because node-pg-migrate loads a migration with
 * Node's own `require`, which neither jest nor a compiled build could hand a `.ts` file to.
 *
 * Each folder keeps its own history table, so a shared package's migrations (the messaging
 * outbox/inbox) and a service's own ones never have to agree on one global file order. Given a
 * plain path, the table is named after the package that owns the folder, which stays stable when
 * the folder moves; pass `table` to choose it.
 */
export type MigrationDir = string | { dir: string; table: string };

export interface RunMigrationsOptions {
  databaseUrl: string;
  dirs: MigrationDir[];
  logger: Logger;
}

/** An arbitrary constant: every process migrating the same database contends for it. */
const migrationLockKey = 4_731_902_117;

/**
 * Applies every pending migration, folder after folder, each folder in one transaction.
 * node-pg-migrate's own lock is a try-lock that fails the second of two concurrent starts
 * ("Another migration is already running"), so we hold a blocking advisory lock instead: replicas
 * starting together wait for the first, then find nothing left to do.
 */
export async function runMigrations(options: RunMigrationsOptions): Promise<string[]> {
  const client = new Client({ connectionString: options.databaseUrl });
  client.on('error', (error) => options.logger.error(`migration connection: ${error.message}`));
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    for (const entry of options.dirs) {
      const { dir, table } =
        typeof entry === 'string' ? { dir: entry, table: tableFor(entry) } : entry;
      const ran = await runner({
        dbClient: client,
        dir: resolve(dir),
        migrationsTable: table,
        direction: 'up',
        checkOrder: true,
        singleTransaction: true,
        noLock: true,
        logger: {
          debug: () => undefined,
          info: (message: string) => options.logger.info(message),
          warn: (message: string) => options.logger.warn(message),
          error: (message: string) => options.logger.error(message),
        },
      });
      applied.push(...ran.map((migration) => migration.name));
    }
  } finally {
    await client.end();
  }
  return applied;
}

/** `pgmigrations_<package>` (plus the folder's path inside the package unless it is `migrations`). */
export function tableFor(dir: string): string {
  const absolute = resolve(dir);
  const packageRoot = findPackageRoot(absolute);
  const packageName = (
    JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
      name?: string;
    }
  ).name;
  const inside = relative(packageRoot, absolute);
  const parts = [packageName ?? packageRoot, inside === 'migrations' ? '' : inside];
  const slug = parts
    .join('_')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  // Postgres truncates identifiers to 63 bytes; truncating here keeps the name we query equal.
  return `pgmigrations_${slug}`.slice(0, 63);
}

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above migrations folder ${start}`);
  }
}
