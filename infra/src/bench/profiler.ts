import path from 'node:path';
import { processNames } from '../service-process';
import type { TestbedEnv } from '../testbed';

/**
 * `BENCH_CPU_PROFILE=<folder>`: every service a benchmark starts runs with V8's sampling profiler
 * and writes <folder>/<service>/*.cpuprofile when it stops (open it in Chrome's DevTools or
 * speedscope, or summarise it with `node --import tsx infra/src/bench/profile-summary.ts
 * <folder>`). The profiler costs about a third more CPU: read shares from a profile, not rates.
 */
export const profileFolder = process.env.BENCH_CPU_PROFILE
  ? path.resolve(process.env.BENCH_CPU_PROFILE)
  : undefined;

/** Each service's environment, the profiler's flags added when `BENCH_CPU_PROFILE` asks. */
export function withProfiler(env: TestbedEnv = {}): TestbedEnv {
  if (!profileFolder) return { ...env };
  const folder = profileFolder;
  return Object.fromEntries(
    processNames.map((name) => [
      name,
      { ...env[name], NODE_ARGS: `--cpu-prof --cpu-prof-dir=${path.join(folder, name)}` },
    ]),
  );
}
