import { outboxWriter } from '@shop/messaging';

export type { Cause, Outgoing } from '@shop/messaging';

export const source = 'payment';

/** Through the outbox only: published if and only if the caller's transaction commits. */
export const { announce } = outboxWriter(source);
