import { paginated, timestampSchema, uuidSchema } from './common';
import { z } from './zod';

export const notificationKindSchema = z
  .enum(['WELCOME', 'ORDER_CONFIRMED', 'ORDER_CANCELLED'])
  .openapi('NotificationKind');

export const notificationStatusSchema = z.enum(['SENT', 'FAILED']).openapi('NotificationStatus');

export const notificationSchema = z
  .object({
    id: uuidSchema,
    kind: notificationKindSchema,
    orderId: uuidSchema.optional(),
    subject: z.string(),
    body: z.string(),
    channel: z.literal('email'),
    status: notificationStatusSchema,
    createdAt: timestampSchema,
  })
  .openapi('Notification');

export const notificationPageSchema = paginated(notificationSchema, 'NotificationPage');

export type NotificationKind = z.infer<typeof notificationKindSchema>;
export type NotificationStatus = z.infer<typeof notificationStatusSchema>;
export type Notification = z.infer<typeof notificationSchema>;
export type NotificationPage = z.infer<typeof notificationPageSchema>;
