import type { TokenSigner } from '@shop/auth';
import type { Pool } from '@shop/postgres';

export interface LoginThrottle {
  /** Failed attempts allowed per email within one window; the next one is refused. */
  maxFailures: number;
  windowMs: number;
}

export interface IdentityDeps {
  pool: Pool;
  signer: TokenSigner;
  throttle: LoginThrottle;
  /**
   * The hash of a random password, checked when the email is unknown, so that a login for an
   * unknown email costs the same scrypt as a wrong password and its timing reveals nothing.
   */
  dummyHash: string;
}
