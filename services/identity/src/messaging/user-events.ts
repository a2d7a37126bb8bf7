import { createMessage, partitionKeyOf, topics, type User } from '@shop/contracts';
import { enqueue } from '@shop/messaging';
import type { Tx } from '@shop/postgres';
import { outgoingHeaders } from '@shop/service-kit';

export const identitySource = 'identity';

/** Kafka headers that let consumers continue the request's trace. */
function traceHeaders(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(outgoingHeaders()).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
}

/** Call in the transaction that inserts the user: the event exists if and only if the user does. */
export async function emitUserRegistered(tx: Tx, user: User): Promise<void> {
  const message = createMessage(
    'UserRegistered',
    { userId: user.id, email: user.email, name: user.name },
    { source: identitySource, correlationId: user.id },
  );
  await enqueue(tx, {
    topic: topics.identityEvents,
    key: partitionKeyOf(message),
    envelope: message,
    headers: traceHeaders(),
  });
}
