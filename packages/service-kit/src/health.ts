import type { DependencyCheck, Liveness, Readiness } from '@shop/contracts';
import { Router } from 'express';

/** Resolves when the dependency is usable, rejects (or outlives its timeout) when it is not. */
export type ReadinessCheck = (signal: AbortSignal) => Promise<unknown>;

/** The wire shapes of API.md's operations endpoints, as the contracts package defines them. */
export type CheckResult = DependencyCheck;
export type ReadinessReport = Readiness;

export const defaultCheckTimeoutMs = 2000;

/** Connection strings in driver errors may carry a password: keep the host, drop the credentials. */
function withoutCredentials(message: string): string {
  return message.replace(/\/\/[^/@\s]*@/g, '//***@');
}

async function runCheck(
  name: string,
  check: ReadinessCheck,
  timeoutMs: number,
): Promise<CheckResult> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([check(controller.signal), timeout]);
    return { name, status: 'up', latencyMs: elapsedSince(started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      name,
      status: 'down',
      latencyMs: elapsedSince(started),
      detail: withoutCredentials(message),
    };
  } finally {
    clearTimeout(timer);
  }
}

function elapsedSince(started: number): number {
  return Math.round(performance.now() - started);
}

/** Runs every check at once, so the slowest one, not their sum, bounds the answer. */
export async function runReadinessChecks(
  checks: Record<string, ReadinessCheck>,
  timeoutMs = defaultCheckTimeoutMs,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    Object.entries(checks).map(([name, check]) => runCheck(name, check, timeoutMs)),
  );
  const down = results.some((result) => result.status === 'down');
  return { status: down ? 'down' : 'up', checks: results };
}

export interface HealthOptions {
  readiness: Record<string, ReadinessCheck>;
  checkTimeoutMs?: number;
}

/**
 * `/health/live` says only that the process answers (a failing dependency must not get it
 * restarted); `/health/ready` says whether it should receive traffic now.
 */
export function healthRouter({ readiness, checkTimeoutMs }: HealthOptions): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    const live: Liveness = { status: 'up' };
    res.json(live);
  });
  router.get('/health/ready', async (_req, res) => {
    const report = await runReadinessChecks(readiness, checkTimeoutMs);
    res.setHeader('Cache-Control', 'no-store');
    res.status(report.status === 'up' ? 200 : 503).json(report);
  });
  return router;
}

export interface Queryable {
  query(sql: string): Promise<unknown>;
}

/**
 * `SELECT 1` under a short statement timeout: SET LOCAL applies to the implicit transaction a
 * multi-statement simple query runs in, so the pooled session keeps its own setting.
 */
export function postgresCheck(pool: Queryable, statementTimeoutMs = 1000): ReadinessCheck {
  const timeout = Math.max(1, Math.floor(statementTimeoutMs));
  return async () => {
    await pool.query(`SET LOCAL statement_timeout = ${timeout}; SELECT 1`);
  };
}

export interface Pingable {
  ping(): Promise<string>;
}

export function redisCheck(client: Pingable): ReadinessCheck {
  return async () => {
    const reply = await client.ping();
    if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
  };
}
