import { emailSchema, uuidSchema } from '../common';
import { z } from '../zod';
import { messageSchema } from './envelope';

/** Notification keeps its own directory of users from this event to address order emails. */
export const userRegisteredPayloadSchema = z.object({
  userId: uuidSchema,
  email: emailSchema,
  name: z.string().min(1),
});

export const userRegisteredMessageSchema = messageSchema(
  'UserRegistered',
  userRegisteredPayloadSchema,
);

export const identityEventsSchema = z.discriminatedUnion('type', [userRegisteredMessageSchema]);
