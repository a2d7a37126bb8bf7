import fs from 'node:fs';
import path from 'node:path';
import { commandExists, run } from './processes';

export interface Toolchain {
  /** Folder holding initdb, pg_ctl and postgres of POSTGRES_MAJOR. */
  postgresBin: string;
  redisServer: string;
  java: string;
  mvn: string;
  /** The OS user PostgreSQL runs as when we are root (it refuses to run as root). */
  postgresUser: string | undefined;
}

interface Requirement {
  what: string;
  debianPackage: string;
  find: () => Promise<string | undefined>;
}

/**
 * One major version of each server everywhere: natively (Debian bookworm's packages), in Docker
 * Compose and in Kubernetes (infra/deploy/images.env; a test keeps them equal).
 */
export const POSTGRES_MAJOR = 15;
export const REDIS_MAJOR = 7;
const MIN_JAVA = 17;

function findPostgresBin(): Promise<string | undefined> {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return Promise.resolve(undefined);
  const versions = fs
    .readdirSync(base)
    .map(Number)
    .filter((v) => v === POSTGRES_MAJOR);
  const bin = versions
    .map((version) => path.join(base, String(version), 'bin'))
    .find((dir) =>
      ['initdb', 'pg_ctl', 'postgres'].every((tool) => fs.existsSync(path.join(dir, tool))),
    );
  return Promise.resolve(bin);
}

async function findRedis(): Promise<string | undefined> {
  if (!(await commandExists('redis-server'))) return undefined;
  const { stdout } = await run('redis-server', ['--version']);
  const major = Number(/v=(\d+)\./.exec(stdout)?.[1]);
  return major === REDIS_MAJOR ? 'redis-server' : undefined;
}

async function findJava(): Promise<string | undefined> {
  if (!(await commandExists('java'))) return undefined;
  const { stdout, stderr } = await run('java', ['-version']);
  const major = Number(/version "(\d+)/.exec(`${stdout}${stderr}`)?.[1]);
  return major >= MIN_JAVA ? 'java' : undefined;
}

async function findMaven(): Promise<string | undefined> {
  return (await commandExists('mvn')) ? 'mvn' : undefined;
}

const requirements: Record<'postgresBin' | 'redisServer' | 'java' | 'mvn', Requirement> = {
  postgresBin: {
    what: `PostgreSQL ${POSTGRES_MAJOR} server`,
    debianPackage: `postgresql-${POSTGRES_MAJOR}`,
    find: findPostgresBin,
  },
  redisServer: {
    what: `Redis ${REDIS_MAJOR} server`,
    debianPackage: 'redis-server',
    find: findRedis,
  },
  java: {
    what: `Java ${MIN_JAVA}+ runtime`,
    debianPackage: 'openjdk-17-jre-headless',
    find: findJava,
  },
  mvn: { what: 'Apache Maven', debianPackage: 'maven', find: findMaven },
};

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Installs Debian packages (as root, non-interactively, without recommends). */
export async function installWithApt(packages: string[], log: (line: string) => void) {
  log(`installing ${packages.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-q'], { env });
  await run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { env });
}

/**
 * Finds every program the infrastructure needs. What is missing is installed with apt-get when
 * we are root on Debian; otherwise we stop and name exactly what to install.
 */
export async function ensureToolchain(log: (line: string) => void): Promise<Toolchain> {
  const keys = Object.keys(requirements) as (keyof typeof requirements)[];
  const found = new Map<string, string | undefined>();
  for (const key of keys) found.set(key, await requirements[key].find());
  const missing = keys.filter((key) => !found.get(key));

  if (missing.length > 0) {
    const packages = missing.map((key) => requirements[key].debianPackage);
    const canApt =
      isRoot() && fs.existsSync('/etc/debian_version') && (await commandExists('apt-get'));
    if (!canApt) {
      const lines = missing.map(
        (key) =>
          `  - ${requirements[key].what} (Debian/Ubuntu package: ${requirements[key].debianPackage})`,
      );
      throw new Error(
        `Missing prerequisites:\n${lines.join('\n')}\nInstall them, e.g.: sudo apt-get install -y ${packages.join(' ')}`,
      );
    }
    await installWithApt(packages, log);
    for (const key of missing) {
      found.set(key, await requirements[key].find());
      if (!found.get(key))
        throw new Error(
          `${requirements[key].what} still missing after installing ${requirements[key].debianPackage}`,
        );
    }
  }

  return {
    postgresBin: found.get('postgresBin')!,
    redisServer: found.get('redisServer')!,
    java: found.get('java')!,
    mvn: found.get('mvn')!,
    postgresUser: isRoot() ? 'postgres' : undefined,
  };
}
