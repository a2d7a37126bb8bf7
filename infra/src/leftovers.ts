import { Client } from 'pg';
import { infraAdmin } from './kafka';

/**
 * What tests, testbeds, benchmarks and chaos runs leave behind when they are killed before they
 * can clean up (SIGKILL, a closed laptop, a CI timeout): scratch databases and private copies of
 * the topics. Each is named with the time it was created, Date.now() in base 36:
 * `scratch_<time>_<hex>`, `t-<time>-<hex>.<topic>`, `t-bed-<time><hex>.<topic>`,
 * `<word>-<time>-<hex>.<topic>`. Left alone, a broker that has collected a few hundred such
 * partitions takes about a second longer to start (docs/performance.md), and each database holds
 * ~8 MB.
 */

/** Older than any run that could still be using it: CI's 90 minutes, with a wide margin. */
export const leftoverAfterMs = 6 * 60 * 60 * 1000;

const earliest = Date.UTC(2024, 0, 1);
/** A time token: 8 base-36 digits, maybe followed by a testbed's 4 hex digits. */
const timeToken = /^([0-9a-z]{8})(?:[0-9a-f]{4})?$/;

/** When a scratch name says it was created, if it is one. */
export function createdAt(scratchPrefix: string): number | undefined {
  for (const token of scratchPrefix.split(/[-_.]/)) {
    const digits = timeToken.exec(token)?.[1];
    const time = digits === undefined ? NaN : parseInt(digits, 36);
    if (time >= earliest) return time;
  }
  return undefined;
}

/** Topics that are a scratch namespace's copy of a contract topic, created before `before`. */
export function leftoverTopics(topics: string[], contractTopics: string[], before: number) {
  const contract = new Set(contractTopics);
  return topics.filter((topic) => {
    if (contract.has(topic)) return false;
    const copied = contractTopics.find((name) => topic.endsWith(`.${name}`));
    if (copied === undefined) return false;
    const time = createdAt(topic.slice(0, -copied.length));
    return time !== undefined && time < before;
  });
}

/** Scratch databases created before `before`. */
export function leftoverDatabases(databases: string[], before: number): string[] {
  return databases.filter((name) => {
    if (!/^scratch_[0-9a-z]+_[0-9a-f]+$/.test(name)) return false;
    const time = createdAt(name);
    return time !== undefined && time < before;
  });
}

export interface SweepTargets {
  kafkaBrokers: string;
  postgresAdminUrl: string;
  contractTopics: string[];
}

/**
 * Deletes what killed runs left behind more than `leftoverAfterMs` ago. A failure is logged and
 * ignored: the infrastructure works with leftovers, only slower to start.
 */
export async function sweepLeftovers(
  targets: SweepTargets,
  log: (line: string) => void,
  now = Date.now(),
): Promise<void> {
  const before = now - leftoverAfterMs;
  const [topics, databases] = await Promise.allSettled([
    sweepTopics(targets, before),
    sweepDatabases(targets.postgresAdminUrl, before),
  ]);
  const swept = [
    topics.status === 'fulfilled' && topics.value > 0 ? `${topics.value} topics` : undefined,
    databases.status === 'fulfilled' && databases.value > 0
      ? `${databases.value} scratch databases`
      : undefined,
  ].filter(Boolean);
  if (swept.length > 0) log(`removed what killed test runs left behind: ${swept.join(', ')}`);
  for (const result of [topics, databases]) {
    if (result.status === 'rejected') {
      log(`could not remove what killed test runs left behind: ${String(result.reason)}`);
    }
  }
}

async function sweepTopics(targets: SweepTargets, before: number): Promise<number> {
  const admin = infraAdmin(targets.kafkaBrokers, { clientId: 'shop-infra-sweep' });
  await admin.connect();
  try {
    const leftovers = leftoverTopics(await admin.listTopics(), targets.contractTopics, before);
    if (leftovers.length > 0) await admin.deleteTopics({ topics: leftovers, timeout: 30_000 });
    return leftovers.length;
  } finally {
    await admin.disconnect();
  }
}

async function sweepDatabases(adminUrl: string, before: number): Promise<number> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'scratch\\_%'`,
    );
    const leftovers = leftoverDatabases(
      rows.map((row) => row.datname),
      before,
    );
    for (const name of leftovers) {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
    return leftovers.length;
  } finally {
    await client.end();
  }
}
