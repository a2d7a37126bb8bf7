import { randomUUID } from 'node:crypto';
import type { Role } from '@shop/contracts';
import { withTransaction, type Pool } from '@shop/postgres';
import type { Logger } from '@shop/service-kit';
import { insertUserUnlessEmailExists } from '../data/users';
import { emitUserRegistered } from '../messaging/user-events';
import { normaliseEmail } from './email';
import { hashPassword } from './passwords';
import { publicUser } from './tokens';

export interface DemoUser {
  email: string;
  password: string;
  name: string;
  role: Role;
}

/**
 * Creates each demo user unless its email exists, so a restart (or a second replica starting at
 * the same moment) changes nothing; an existing account, its password included, is left as it is.
 * A created one emits UserRegistered like any registration, so notification can address it.
 */
export async function seedDemoUsers(
  pool: Pool,
  users: readonly DemoUser[],
  logger: Logger,
): Promise<{ created: number; skipped: number }> {
  const result = { created: 0, skipped: 0 };
  for (const { email, password, name, role } of users) {
    const passwordHash = await hashPassword(password);
    const created = await withTransaction(pool, async (tx) => {
      const user = await insertUserUnlessEmailExists(tx, {
        id: randomUUID(),
        email: normaliseEmail(email),
        name,
        role,
        passwordHash,
      });
      if (user) await emitUserRegistered(tx, publicUser(user));
      return user !== undefined;
    });
    result[created ? 'created' : 'skipped'] += 1;
  }
  logger.info(result, 'demo users seeded');
  return result;
}
