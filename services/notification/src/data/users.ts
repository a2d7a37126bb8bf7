import type { Tx } from '@shop/postgres';

export interface DirectoryUser {
  userId: string;
  email: string;
  name: string;
}

/** A re-registration (or a replayed event) refreshes the address rather than failing. */
export async function upsertUser(tx: Tx, user: DirectoryUser): Promise<void> {
  await tx.query(
    `INSERT INTO users (user_id, email, name) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name`,
    [user.userId, user.email, user.name],
  );
}
