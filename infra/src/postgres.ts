import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { notReady, portInUse, run } from './processes';
import type { Toolchain } from './prerequisites';
import type { InfraSecrets } from './secrets';
import { databaseOwners, type DatabaseOwner, type InfraSettings } from './settings';

export const ADMIN_ROLE = 'shop_admin';
export const roleOf = (owner: DatabaseOwner) => `shop_${owner}`;

interface PostgresLayout {
  root: string;
  data: string;
  log: string;
  socketDir: string;
}

async function userCanReach(user: string | undefined, dir: string): Promise<boolean> {
  if (!user) return true;
  try {
    await run('test', ['-x', dir], { asUser: user });
    return true;
  } catch {
    return false;
  }
}

/**
 * The cluster lives in the project's data folder. As root, PostgreSQL runs as the `postgres`
 * user, which may not be able to reach a checkout inside a private folder (a CI clone under a
 * mode-700 temp dir); the cluster then lives under /var/lib/shop instead, one per checkout.
 */
async function layout(dataDir: string, tools: Toolchain): Promise<PostgresLayout> {
  fs.mkdirSync(dataDir, { recursive: true });
  const [inCheckout, outside] = candidateRoots(dataDir);
  const root = (await userCanReach(tools.postgresUser, dataDir)) ? inCheckout : outside;
  return {
    root,
    data: path.join(root, 'data'),
    log: path.join(root, 'postgres.log'),
    socketDir: socketDirIn(root),
  };
}

function candidateRoots(dataDir: string): [string, string] {
  const id = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  return [path.join(dataDir, 'postgres'), path.join('/var/lib/shop', id, 'postgres')];
}

const socketDirIn = (root: string) => path.join(root, 'run');

/**
 * Where the running server's Unix socket is, if it is there. Clients on this machine connect
 * through it: each of a checkout's ~85 round trips then skips the TCP stack at both ends
 * (docs/performance.md). The server still listens on TCP for everything else (psql, tools).
 */
export function localSocketDir(dataDir: string, port: number): string | undefined {
  return candidateRoots(dataDir)
    .map(socketDirIn)
    .find((dir) => fs.existsSync(path.join(dir, `.s.PGSQL.${port}`)));
}

export async function postgresRoot(dataDir: string, tools: Toolchain): Promise<string> {
  return (await layout(dataDir, tools)).root;
}

async function pgCtl(tools: Toolchain, args: string[]) {
  return run(path.join(tools.postgresBin, 'pg_ctl'), args, { asUser: tools.postgresUser });
}

async function isRunning(tools: Toolchain, where: PostgresLayout): Promise<boolean> {
  if (!fs.existsSync(path.join(where.data, 'PG_VERSION'))) return false;
  try {
    await pgCtl(tools, ['-D', where.data, 'status']);
    return true;
  } catch {
    return false;
  }
}

async function initialize(tools: Toolchain, where: PostgresLayout, secrets: InfraSecrets) {
  fs.mkdirSync(where.socketDir, { recursive: true });
  const pwfile = path.join(where.root, '.pwfile');
  fs.writeFileSync(pwfile, `${secrets.postgresAdminPassword}\n`, { mode: 0o600 });
  if (tools.postgresUser) await run('chown', ['-R', `${tools.postgresUser}:`, where.root]);
  try {
    await run(
      path.join(tools.postgresBin, 'initdb'),
      [
        '-D',
        where.data,
        '-U',
        ADMIN_ROLE,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
      ],
      { asUser: tools.postgresUser },
    );
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

export async function startPostgres(
  tools: Toolchain,
  settings: InfraSettings,
  dataDir: string,
  secrets: InfraSecrets,
  log: (line: string) => void,
): Promise<void> {
  const where = await layout(dataDir, tools);
  if (await isRunning(tools, where)) {
    log(`postgres already running on ${settings.host}:${settings.postgresPort}`);
  } else {
    if (await portInUse(settings.postgresPort)) {
      throw new Error(
        `port ${settings.postgresPort} is taken by another process: set SHOP_PG_PORT to a free port`,
      );
    }
    if (!fs.existsSync(path.join(where.data, 'PG_VERSION'))) {
      log(`initialising a PostgreSQL cluster in ${where.data}`);
      await initialize(tools, where, secrets);
    }
    const options = [
      `-p ${settings.postgresPort}`,
      `-c listen_addresses=${settings.host}`,
      `-k ${where.socketDir}`,
      // seven services with their pools, relays and consumers, plus tests, share one server
      '-c max_connections=400',
    ].join(' ');
    try {
      await pgCtl(tools, [
        '-D',
        where.data,
        '-l',
        where.log,
        '-w',
        '-t',
        '60',
        '-o',
        options,
        'start',
      ]);
    } catch (error) {
      throw notReady(
        'postgres',
        where.log,
        (error as Error).message.split('\n')[0] ?? 'pg_ctl failed',
      );
    }
    log(`postgres started on ${settings.host}:${settings.postgresPort}`);
  }
  await provision(settings, secrets);
}

/** Through the server's Unix socket when `socketDir` is given (pg reads `host` from the query). */
function url(
  settings: InfraSettings,
  login: { role: string; password: string },
  database: string,
  socketDir?: string,
): string {
  const via = socketDir ? `?host=${encodeURIComponent(socketDir)}` : '';
  return `postgres://${login.role}:${login.password}@${settings.host}:${settings.postgresPort}/${database}${via}`;
}

export function adminUrl(
  settings: InfraSettings,
  secrets: InfraSecrets,
  socketDir?: string,
): string {
  return url(
    settings,
    { role: ADMIN_ROLE, password: secrets.postgresAdminPassword },
    'postgres',
    socketDir,
  );
}

export function serviceUrl(
  settings: InfraSettings,
  secrets: InfraSecrets,
  owner: DatabaseOwner,
  socketDir?: string,
): string {
  return url(
    settings,
    { role: roleOf(owner), password: secrets.databasePasswords[owner] },
    owner,
    socketDir,
  );
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * One database and one login role per service; a role can connect only to its own database:
 * CONNECT is revoked from PUBLIC on every database, and each database is owned by its role.
 */
async function provision(settings: InfraSettings, secrets: InfraSecrets): Promise<void> {
  const client = new Client({ connectionString: adminUrl(settings, secrets) });
  await client.connect();
  try {
    for (const maintenance of ['postgres', 'template1']) {
      await client.query(`REVOKE CONNECT ON DATABASE ${ident(maintenance)} FROM PUBLIC`);
    }
    for (const owner of databaseOwners) {
      const role = roleOf(owner);
      const password = secrets.databasePasswords[owner];
      const roleExists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      const verb = roleExists.rowCount ? 'ALTER' : 'CREATE';
      await client.query(
        `${verb} ROLE ${ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${literal(password)}`,
      );
      const dbExists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [owner]);
      if (!dbExists.rowCount)
        await client.query(`CREATE DATABASE ${ident(owner)} OWNER ${ident(role)}`);
      await client.query(`REVOKE CONNECT ON DATABASE ${ident(owner)} FROM PUBLIC`);
      await client.query(`GRANT CONNECT ON DATABASE ${ident(owner)} TO ${ident(role)}`);
    }
  } finally {
    await client.end();
  }
}

export async function stopPostgres(
  tools: Toolchain,
  dataDir: string,
  log: (line: string) => void,
): Promise<void> {
  const where = await layout(dataDir, tools);
  if (!(await isRunning(tools, where))) return;
  await pgCtl(tools, ['-D', where.data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  log('postgres stopped');
}

export async function postgresRunning(tools: Toolchain, dataDir: string): Promise<boolean> {
  return isRunning(tools, await layout(dataDir, tools));
}

export async function postgresLog(tools: Toolchain, dataDir: string): Promise<string> {
  return (await layout(dataDir, tools)).log;
}
