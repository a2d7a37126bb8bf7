import { outboxWriter } from '@shop/messaging';

export type { Cause, Outgoing } from '@shop/messaging';

export const source = 'order';

/** Through the outbox only: published if and only if the caller's transaction commits. */
export const { emit } = outboxWriter(source);
