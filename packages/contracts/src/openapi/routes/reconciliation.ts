import { paymentsOfOrderSchema, paymentsQuerySchema, paymentSummarySchema } from '../../payments';
import { orderReconciliationSchema } from '../../reconciliation';
import type { ApiRoute } from '../route';

// Not 'Operations': that tag marks the gateway's own routes, and these are served by the services.
const tag = 'Reconciliation';

/** Admin reads for checking that orders, stock and money agree (the chaos runs' invariants). */
export const reconciliationRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/orders/reconciliation/summary',
    auth: 'admin',
    operationId: 'getOrderReconciliation',
    summary: 'Orders by status, sagas by state, and each product’s confirmed and in-flight units',
    description:
      'The order service’s side of the reconciliation with inventory and payment. Once ' +
      '`inFlightOrders` is 0, inventory should show, per product, committed sales = `confirmed` ' +
      'and nothing reserved.',
    tag,
    success: {
      status: 200,
      description: 'The counts, from one snapshot of the order database',
      schema: orderReconciliationSchema,
    },
  },
  {
    method: 'GET',
    path: '/api/payments/summary',
    auth: 'admin',
    operationId: 'getPaymentSummary',
    summary: 'Payments and refunds, counted and summed per currency',
    description:
      'Payment’s side of the reconciliation: with the order reconciliation it shows that no order ' +
      'was charged and then cancelled without a refund (an order is charged at most once, and ' +
      'refunded at most once).',
    tag,
    success: {
      status: 200,
      description: 'The counts and sums, from one snapshot of the payment database',
      schema: paymentSummarySchema,
    },
  },
  {
    method: 'GET',
    path: '/api/payments',
    auth: 'admin',
    operationId: 'listPaymentsOfOrder',
    summary: 'An order’s payment and its refund',
    tag,
    query: paymentsQuerySchema,
    success: {
      status: 200,
      description: 'The order’s payment, or no items when payment has never seen the order',
      schema: paymentsOfOrderSchema,
    },
  },
];
