import type { User } from '@shop/contracts';
import { AppError } from '@shop/service-kit';
import { findUserById } from '../data/users';
import type { IdentityDeps } from './identity-deps';
import { publicUser } from './tokens';

/** The user a verified token names, read from the table so a token never serves stale fields. */
export async function currentUser(deps: Pick<IdentityDeps, 'pool'>, userId: string): Promise<User> {
  const user = await findUserById(deps.pool, userId);
  // A valid signature for a user that does not exist (any more) is still no identity.
  if (!user) throw new AppError('UNAUTHENTICATED', 'the token names no known user');
  return publicUser(user);
}
