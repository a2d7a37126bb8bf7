import path from 'node:path';
import { repoRoot } from './paths';

/** What the runner needs of a zod schema, without tying it to the services' zod instance. */
interface SchemaLike {
  safeParse(value: unknown): { success: boolean };
}
interface ObjectSchemaLike extends SchemaLike {
  shape: Record<string, SchemaLike>;
}

interface ConfigModule {
  configSchema: SchemaLike;
  readConfig: (env: Record<string, string | undefined>) => Record<string, unknown>;
}

export interface ServiceConfig {
  /** Every variable its config schema reads, sorted. */
  known: string[];
  /** The variables without which its config does not parse (no default, not optional). */
  required: string[];
  /** The service's own parser: throws a ConfigError naming each bad or missing variable. */
  readConfig: ConfigModule['readConfig'];
}

export const folderOf = (name: string) =>
  path.join(repoRoot, name === 'gateway' ? 'gateway' : path.join('services', name));

/** A `.transform()` wraps the object schema in a pipe; its input side is the object. */
function objectSchemaOf(schema: SchemaLike): ObjectSchemaLike {
  let current: unknown = schema;
  for (let depth = 0; depth < 5; depth += 1) {
    if (current && typeof current === 'object' && 'shape' in current) {
      return current as ObjectSchemaLike;
    }
    current = (current as { in?: unknown }).in;
  }
  throw new Error('config schema is not an object schema (or a transform of one)');
}

/** A service's settings as its own `src/config.ts` declares them. */
export async function loadServiceConfig(name: string): Promise<ServiceConfig> {
  const config = (await import(path.join(folderOf(name), 'src', 'config.ts'))) as ConfigModule;
  const { shape } = objectSchemaOf(config.configSchema);
  const known = Object.keys(shape).sort();
  return {
    known,
    required: known.filter((key) => !shape[key]!.safeParse(undefined).success),
    readConfig: (env) => config.readConfig(env),
  };
}
