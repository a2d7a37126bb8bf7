import { randomUUID } from 'node:crypto';
import type { RegisterBody, TokenResponse } from '@shop/contracts';
import { withTransaction } from '@shop/postgres';
import { AppError } from '@shop/service-kit';
import { EmailTakenError, insertUser } from '../data/users';
import { emitUserRegistered } from '../messaging/user-events';
import type { IdentityDeps } from './identity-deps';
import { hashPassword } from './passwords';
import { issueToken, publicUser } from './tokens';

/** Self-registration always makes a customer: the strict body has no way to ask for a role. */
export async function register(
  deps: IdentityDeps,
  { email, password, name }: RegisterBody,
): Promise<TokenResponse> {
  // Hashed before the transaction: a connection is not held through 100 ms of scrypt.
  const passwordHash = await hashPassword(password);
  try {
    const stored = await withTransaction(deps.pool, async (tx) => {
      const user = await insertUser(tx, {
        id: randomUUID(),
        email,
        name,
        role: 'customer',
        passwordHash,
      });
      await emitUserRegistered(tx, publicUser(user));
      return user;
    });
    return await issueToken(deps.signer, stored);
  } catch (error) {
    if (error instanceof EmailTakenError) {
      throw new AppError('CONFLICT', 'an account with this email already exists');
    }
    throw error;
  }
}
