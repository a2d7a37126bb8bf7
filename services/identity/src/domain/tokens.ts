import type { TokenSigner } from '@shop/auth';
import type { TokenResponse, User } from '@shop/contracts';
import type { StoredUser } from '../data/users';

/** The public view of a user: never the hash. */
export function publicUser({ id, email, name, role }: StoredUser): User {
  return { id, email, name, role };
}

export async function issueToken(signer: TokenSigner, stored: StoredUser): Promise<TokenResponse> {
  const user = publicUser(stored);
  const token = await signer.sign({ sub: user.id, role: user.role, email: user.email });
  return { token, user };
}
