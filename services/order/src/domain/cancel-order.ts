import type { Order } from '@shop/contracts';
import type { AuthUser } from '@shop/auth';
import { withTransaction, type Pool } from '@shop/postgres';
import { AppError } from '@shop/service-kit';
import { findOrder } from '../data/orders';
import type { Cause } from '../messaging/emit';
import { toOrderView } from './order-view';
import { applySagaEvent, type SagaSettings } from './saga';
import { IllegalTransitionError } from './saga-machine';

export interface CancelOrderDeps {
  pool: Pool;
  settings: SagaSettings;
  now?: () => Date;
}

/**
 * A customer cancels a CONFIRMED order: the saga refunds the payment and gives the stock back,
 * and the order becomes CANCELLED(CUSTOMER_CANCELLED) once both are acknowledged. The answer is
 * the order with its compensation under way (still CONFIRMED).
 */
export async function cancelOrder(
  { pool, settings, now = () => new Date() }: CancelOrderDeps,
  user: AuthUser,
  orderId: string,
  cause: Omit<Cause, 'correlationId'>,
): Promise<Order> {
  return withTransaction(pool, async (tx) => {
    const order = await findOrder(tx, orderId);
    if (!order || order.customerId !== user.id) {
      throw new AppError('NOT_FOUND', `order ${orderId} not found`);
    }
    if (order.status !== 'CONFIRMED') {
      throw new AppError(
        'CONFLICT',
        `only a CONFIRMED order can be cancelled; it is ${order.status}`,
      );
    }
    try {
      await applySagaEvent(
        tx,
        orderId,
        { type: 'CustomerCancelRequested' },
        { now: now(), settings, cause },
      );
    } catch (error) {
      if (error instanceof IllegalTransitionError) {
        throw new AppError('CONFLICT', 'the order is already being cancelled', { cause: error });
      }
      throw error;
    }
    return toOrderView((await findOrder(tx, orderId))!);
  });
}
