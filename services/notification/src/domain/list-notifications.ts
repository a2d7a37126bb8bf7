import type { NotificationPage, PaginationQuery } from '@shop/contracts';
import type { Pool } from '@shop/postgres';
import { listForUser } from '../data/notifications';

export async function listNotifications(
  pool: Pool,
  userId: string,
  { page, pageSize }: PaginationQuery,
): Promise<NotificationPage> {
  const { items, total } = await listForUser(pool, userId, {
    offset: (page - 1) * pageSize,
    limit: pageSize,
  });
  return { items, page, pageSize, total };
}
