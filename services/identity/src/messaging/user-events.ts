import type { User } from '@shop/contracts';
import { outboxWriter } from '@shop/messaging';
import type { Tx } from '@shop/postgres';

export const identitySource = 'identity';

const { emit } = outboxWriter(identitySource);

/** Call in the transaction that inserts the user: the event exists if and only if the user does. */
export async function emitUserRegistered(tx: Tx, user: User): Promise<void> {
  await emit(
    tx,
    { type: 'UserRegistered', payload: { userId: user.id, email: user.email, name: user.name } },
    { correlationId: user.id },
  );
}
