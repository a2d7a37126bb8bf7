import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { runner } from 'node-pg-migrate';
import { Client } from 'pg';
import { sleep } from './sleep';

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
  /**
   * How long a server that is not there yet is waited for: 90 s, within the startup budget
   * Kubernetes gives a pod (which starts at the same moment as the database).
   */
  connectWaitMs?: number;
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
  const client = await connectWhenReady(options);
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

/**
 * Errors of a server that is not serving yet rather than of a wrong setting: nothing listening,
 * a name not resolvable yet, "the database system is starting up" (57P03), and, while the
 * server's init script is still creating them, a database (3D000) or role (28P01) not there yet.
 */
const notReadyYet = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', '57P03', '3D000', '28P01']);

/**
 * A connection for the migrations, once the server takes one: a process that gave up on the first
 * refusal would be restarted by Kubernetes with an ever longer back-off (CrashLoopBackOff) instead
 * of starting the moment the database is up.
 */
async function connectWhenReady(options: RunMigrationsOptions): Promise<Client> {
  const deadline = Date.now() + (options.connectWaitMs ?? 90_000);
  for (let attempt = 1; ; attempt += 1) {
    const client = new Client({ connectionString: options.databaseUrl });
    client.on('error', (error) => options.logger.error(`migration connection: ${error.message}`));
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      const code = (error as { code?: string }).code;
      if (!code || !notReadyYet.has(code) || Date.now() > deadline) throw error;
      if (attempt === 1) {
        options.logger.warn(`waiting for PostgreSQL to take connections (${code})`);
      }
      await sleep(1_000);
    }
  }
}
