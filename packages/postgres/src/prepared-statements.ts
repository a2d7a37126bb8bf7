import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * How many distinct statements one process names. Each connection prepares a named statement the
 * first time it runs it and keeps it until it closes, so the cap bounds what every connection can
 * hold. A text past the cap runs unnamed, as before: slower, never wrong.
 */
export const namedStatementCap = 500;

/**
 * Names a parameterised statement after its text, so that each connection parses and analyses it
 * once (PostgreSQL's `PREPARE`) and from then on only binds and executes it; after five runs the
 * server may also keep one generic plan for it instead of planning every run
 * (https://www.postgresql.org/docs/current/sql-prepare.html). node-postgres parses an unnamed
 * statement again on every run. A statement without parameters (BEGIN, COMMIT, LISTEN) keeps the
 * simple protocol.
 */
export class StatementNamer {
  private readonly names = new Map<string, string>();

  constructor(private readonly cap = namedStatementCap) {}

  nameOf(text: string): string | undefined {
    const known = this.names.get(text);
    if (known !== undefined || this.names.size >= this.cap) return known;
    const name = `shop_${createHash('sha1').update(text).digest('base64url')}`;
    this.names.set(text, name);
    return name;
  }
}

const processNamer = new StatementNamer();

/** A pg client that runs every parameterised statement as a named (prepared) one. */
export class PreparingClient extends pg.Client {
  // pg's overloads are many; this one only rewrites (text, values[, callback]).
  override query(...args: unknown[]): never {
    const [text, values] = args;
    if (typeof text === 'string' && Array.isArray(values)) {
      const name = processNamer.nameOf(text);
      if (name !== undefined) args[0] = { name, text };
    }
    return (super.query as (...rest: unknown[]) => never)(...args);
  }
}
