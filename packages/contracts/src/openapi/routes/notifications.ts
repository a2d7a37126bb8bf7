import { paginationQuerySchema } from '../../common';
import { notificationPageSchema } from '../../notifications';
import type { ApiRoute } from '../route';

export const notificationsRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/notifications',
    auth: 'user',
    operationId: 'listNotifications',
    summary: 'The caller’s notifications, newest first',
    tag: 'Notifications',
    query: paginationQuerySchema,
    success: {
      status: 200,
      description: 'A page of notifications',
      schema: notificationPageSchema,
    },
  },
];
