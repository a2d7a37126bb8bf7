import { setTimeout as pause } from 'node:timers/promises';
import { waitUntil } from '../processes';
import { isFailure, type Answer, type GatewayClient } from './gateway-client';
import type { PlacedOrder, Shopper } from './load';
import type { StockedProduct } from './shop-fixture';

export interface OrderView {
  id: string;
  status: string;
  failureReason?: string;
  items: { productId: string; quantity: number }[];
  totalCents: number;
  createdAt: string;
  history: { status: string; at: string }[];
}

export interface ReconciliationSummary {
  inFlightOrders: number;
  ordersByStatus: Record<string, number>;
  sagasByState: Record<string, number>;
  products: { productId: string; confirmed: number; inFlight: number }[];
}

export interface StockLevel {
  onHand: number;
  reserved: number;
  available: number;
}

export interface PaymentView {
  status: string;
  amountCents: number;
  refunds: { amountCents: number }[];
}

export interface Evidence {
  /** Every order of the experiment's shoppers, as their own order lists show it. */
  orders: OrderView[];
  /** Ids the shoppers were answered 202 with. */
  acknowledged: string[];
  summary: ReconciliationSummary | undefined;
  stock: Record<string, StockLevel | undefined>;
  payments: Record<string, PaymentView[] | undefined>;
  /** Message-IDs of the confirmation emails caught for each order (one entry per delivery). */
  confirmationEmails: Record<string, string[]>;
}

/** Where the invariants read the emails sent: the native SMTP catcher, or Mailpit in containers. */
export interface MailView {
  messages(): Promise<{ subject: string; text: string; messageId?: string | undefined }[]>;
}

export const isTerminal = (status: string) => status === 'CONFIRMED' || status === 'CANCELLED';

/**
 * The evidence is read while the shop may still be busy (right after a load stops, or a killed
 * service is back, or beside other tests on two cores), and the gateway may then refuse a read
 * for a while (503 or 429 with Retry-After) or not answer it in time. Such a read is tried again,
 * a second later, then two, then three, before the evidence counts as missing; any other answer is
 * final.
 */
const readAttempts = 4;

async function read(client: GatewayClient, path: string, token?: string): Promise<Answer> {
  for (let attempt = 1; ; attempt += 1) {
    const answer = await client.request('evidence', 'GET', path, token ? { token } : {});
    if (!isFailure(answer.status) || attempt === readAttempts) return answer;
    await pause(1_000 * attempt);
  }
}

/** A shopper's order list, every page; undefined when a page could not be read. */
async function ordersOf(client: GatewayClient, shopper: Shopper): Promise<OrderView[] | undefined> {
  const orders: OrderView[] = [];
  for (let page = 1; ; page += 1) {
    const answer = await read(client, `/api/orders?page=${page}&pageSize=100`, shopper.token);
    if (answer.status !== 200) return undefined;
    const body = answer.body as { items: OrderView[]; total: number };
    orders.push(...body.items);
    if (orders.length >= body.total || body.items.length === 0) return orders;
  }
}

/** Hundreds of shoppers' lists at once would be a load of their own; this many at a time. */
const readsAtATime = 8;

/** Every shopper's orders; undefined when any list could not be read. */
export async function allOrders(
  client: GatewayClient,
  shoppers: Shopper[],
): Promise<OrderView[] | undefined> {
  const lists: (OrderView[] | undefined)[] = [];
  let next = 0;
  const reader = async () => {
    while (next < shoppers.length) {
      const index = next++;
      lists[index] = await ordersOf(client, shoppers[index]!);
    }
  };
  await Promise.all(Array.from({ length: readsAtATime }, reader));
  return lists.some((list) => list === undefined) ? undefined : (lists.flat() as OrderView[]);
}

/** For a benchmark, whose figures would be wrong, not smaller, without some shoppers' orders. */
export async function everyOrder(client: GatewayClient, shoppers: Shopper[]): Promise<OrderView[]> {
  const orders = await allOrders(client, shoppers);
  if (!orders) throw new Error("some shoppers' order lists could not be read through the gateway");
  return orders;
}

export async function reconciliationSummary(
  client: GatewayClient,
  adminToken: string,
): Promise<ReconciliationSummary | undefined> {
  const answer = await read(client, '/api/orders/reconciliation/summary', adminToken);
  return answer.status === 200 ? (answer.body as ReconciliationSummary) : undefined;
}

/**
 * Waits, within the bound, until the system is quiet: the order service has no saga in flight
 * and every order the shoppers can see has ended. Returns how long that took, or undefined.
 */
export async function waitForQuiet(
  client: GatewayClient,
  adminToken: string,
  shoppers: Shopper[],
  boundMs: number,
): Promise<number | undefined> {
  const started = Date.now();
  const quiet = await waitUntil(
    async () => {
      const summary = await reconciliationSummary(client, adminToken);
      if (summary?.inFlightOrders !== 0) return false;
      const orders = await allOrders(client, shoppers);
      return orders !== undefined && orders.every((order) => isTerminal(order.status));
    },
    { timeoutMs: boundMs, intervalMs: 1_000 },
  );
  return quiet ? Date.now() - started : undefined;
}

const confirmationSubject = (orderId: string) =>
  `Your order ${orderId.slice(0, 8).toUpperCase()} is confirmed`;

type SeenMail = Awaited<ReturnType<MailView['messages']>>[number];

function confirmationsIn(messages: SeenMail[], orderId: string): string[] {
  // The subject carries a short id; the body names the whole one (notification's render.ts).
  return messages
    .filter((m) => m.subject === confirmationSubject(orderId) && m.text.includes(orderId))
    .map((m) => m.messageId ?? '(no Message-ID)');
}

/** Once the system is quiet: reads everything the invariants are checked against. */
export async function gatherEvidence(options: {
  client: GatewayClient;
  adminToken: string;
  shoppers: Shopper[];
  acknowledged: PlacedOrder[];
  products: StockedProduct[];
  mail: MailView | undefined;
  mailWaitMs: number;
}): Promise<Evidence> {
  const { client, adminToken } = options;
  const orders = (await allOrders(client, options.shoppers)) ?? [];
  const summary = await reconciliationSummary(client, adminToken);
  const stock: Evidence['stock'] = {};
  for (const product of options.products) {
    const answer = await read(client, `/api/inventory/${product.id}`);
    stock[product.id] = answer.status === 200 ? (answer.body as StockLevel) : undefined;
  }
  const payments: Evidence['payments'] = {};
  for (const order of orders) {
    const answer = await read(client, `/api/payments?orderId=${order.id}`, adminToken);
    payments[order.id] =
      answer.status === 200 ? (answer.body as { items: PaymentView[] }).items : undefined;
  }
  const confirmed = orders.filter((order) => order.status === 'CONFIRMED');
  const mail = options.mail;
  const confirmationEmails: Evidence['confirmationEmails'] = {};
  if (mail) {
    // Sending is asynchronous (notification's outbox-like sender loop): give it its time.
    const everyConfirmationSent = async () => {
      const messages = await mail.messages();
      return confirmed.every((order) => confirmationsIn(messages, order.id).length > 0);
    };
    await waitUntil(everyConfirmationSent, { timeoutMs: options.mailWaitMs, intervalMs: 500 });
    const messages = await mail.messages();
    for (const order of orders) confirmationEmails[order.id] = confirmationsIn(messages, order.id);
  }
  return {
    orders,
    acknowledged: options.acknowledged.map((order) => order.id),
    summary,
    stock,
    payments,
    confirmationEmails,
  };
}
