import type { LoginBody, TokenResponse } from '@shop/contracts';
import { AppError } from '@shop/service-kit';
import { clearAttempts, countAttempt } from '../data/login-attempts';
import { findUserByEmail, updatePasswordHash } from '../data/users';
import type { IdentityDeps } from './identity-deps';
import { hashPassword, needsRehash, verifyPassword } from './passwords';
import { issueToken } from './tokens';

/**
 * One answer for an unknown email and a wrong password, so the API cannot be used to find out
 * who has an account.
 */
function invalidCredentials(): AppError {
  return new AppError('UNAUTHENTICATED', 'the email or password is incorrect');
}

export async function login(
  deps: IdentityDeps,
  { email, password }: LoginBody,
): Promise<TokenResponse> {
  const { attempts, remainingMs } = await countAttempt(deps.pool, email, deps.throttle.windowMs);
  // Refused before the password is checked: once throttled, even the right password waits for
  // the window to pass, so guessing gains nothing.
  if (attempts > deps.throttle.maxFailures) {
    throw new AppError('RATE_LIMITED', 'too many failed logins for this email; try again later', {
      retryAfterMs: Math.max(1, remainingMs),
    });
  }

  const user = await findUserByEmail(deps.pool, email);
  const matches = await verifyPassword(password, user?.passwordHash ?? deps.dummyHash);
  if (!user || !matches) throw invalidCredentials();

  await clearAttempts(deps.pool, email);
  if (needsRehash(user.passwordHash)) {
    await updatePasswordHash(deps.pool, user.id, await hashPassword(password));
  }
  return issueToken(deps.signer, user);
}
