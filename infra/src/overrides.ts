import { loadServiceConfig } from './service-config';
import type { ProcessName } from './service-process';

/**
 * A setting of one process of `npm start`, given in the caller's environment as
 * SHOP_<PROCESS>__<VARIABLE>=value, e.g. `SHOP_GATEWAY__RATE_LIMIT_AUTH=100 npm start`. VARIABLE is
 * the name the service reads in Docker Compose and Kubernetes too (its src/config.ts).
 */
const overridePattern = /^SHOP_([A-Z]+)__([A-Z0-9_]+)$/;

export type Overrides = Partial<Record<ProcessName, Record<string, string>>>;

/** Every SHOP_<PROCESS>__<VARIABLE> of `env`; an unknown process or variable is an error. */
export async function overridesFrom(
  env: NodeJS.ProcessEnv,
  processes: readonly ProcessName[],
): Promise<Overrides> {
  const overrides: Overrides = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('SHOP_') || !key.includes('__') || value === undefined) continue;
    const match = overridePattern.exec(key);
    const name = match?.[1]?.toLowerCase() as ProcessName | undefined;
    if (!match || !name || !processes.includes(name)) {
      problems.push(
        `${key}: no process of that name (SHOP_<${processes.join('|').toUpperCase()}>__<VARIABLE>)`,
      );
      continue;
    }
    const variable = match[2]!;
    const { known } = await loadServiceConfig(name);
    if (!known.includes(variable)) {
      problems.push(`${key}: ${name} has no setting ${variable} (it reads ${known.join(', ')})`);
      continue;
    }
    overrides[name] = { ...overrides[name], [variable]: value };
  }
  if (problems.length > 0) throw new Error(`Invalid settings:\n  ${problems.join('\n  ')}`);
  return overrides;
}

/** Parses a process's final environment with its own config, before it is started. */
export async function checkEnvironment(name: ProcessName, env: Record<string, string>) {
  const { readConfig } = await loadServiceConfig(name);
  try {
    readConfig(env);
  } catch (error) {
    throw new Error(`${name} would not start: ${(error as Error).message}`, { cause: error });
  }
}
