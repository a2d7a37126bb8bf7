import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  cartSchema,
  notificationPageSchema,
  orderSchema,
  productPageSchema,
  sagaTimelineSchema,
  tokenResponseSchema,
  type Order,
} from '@shop/contracts';
import { dataDir } from './paths';

/**
 * A customer's checkout told step by step, through the gateway only: what `npm start` built,
 * seen from the outside. Runs against the system `npm start` is running.
 */
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';
const money = (cents: number, currency: string) => `${(cents / 100).toFixed(2)} ${currency}`;
const say = (line = '') => console.log(line);
const step = (n: number, title: string) => say(`\n${n}. ${title}`);

async function call(
  method: string,
  route: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${gateway}${route}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  say(`   ${method} ${route} → ${response.status}`);
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
  return { response, json: text ? (JSON.parse(text) as unknown) : undefined };
}

function demoCustomer(): { email: string; password: string } {
  const file = path.join(dataDir, 'system-secrets.json');
  if (!fs.existsSync(file)) throw new Error(`no ${file}: is the system running (npm start)?`);
  return (
    JSON.parse(fs.readFileSync(file, 'utf8')) as {
      demoCustomer: { email: string; password: string };
    }
  ).demoCustomer;
}

async function main(): Promise<void> {
  say(`A checkout through ${gateway}`);

  step(1, 'Browse: search the catalog for "jacket", in stock only');
  const page = productPageSchema.parse(
    (await call('GET', '/api/products?search=jacket&inStock=true&pageSize=3')).json,
  );
  for (const p of page.items)
    say(
      `   - ${p.name} (${p.sku}) ${money(p.priceCents, p.currency)}, ${p.stock.available} ${p.stock.status}`,
    );
  const product =
    page.items[0] ??
    productPageSchema.parse((await call('GET', '/api/products?inStock=true&pageSize=1')).json)
      .items[0];
  if (!product) throw new Error('no product in stock: was the demo data seeded?');

  step(2, 'Log in as the demo customer');
  const credentials = demoCustomer();
  const { token, user } = tokenResponseSchema.parse(
    (await call('POST', '/api/auth/login', { body: credentials })).json,
  );
  say(`   signed in as ${user.name} <${user.email}> (${user.role})`);

  step(3, `Put two "${product.name}" in the cart`);
  await call('DELETE', '/api/cart', { token });
  const cart = cartSchema.parse(
    (await call('POST', '/api/cart/items', { token, body: { productId: product.id, quantity: 2 } }))
      .json,
  );
  say(
    `   cart: ${cart.items.map((i) => `${i.quantity} × ${i.name}`).join(', ')} = ${money(cart.subtotalCents, cart.currency)}`,
  );

  step(4, 'Check out with the test card tok_visa (the order saga starts)');
  const key = randomUUID();
  const placed = await call('POST', '/api/orders', {
    token,
    headers: { 'idempotency-key': key },
    body: {
      shippingAddress: {
        name: user.name,
        line1: '1 Demo Street',
        city: 'Berlin',
        postalCode: '10115',
        country: 'DE',
      },
      paymentToken: 'tok_visa',
    },
  });
  let order: Order = orderSchema.parse(placed.json);
  say(
    `   order ${order.id}: ${order.status}, ${money(order.totalCents, order.currency)} (Location: ${placed.response.headers.get('location')})`,
  );

  step(5, 'Watch the order move (inventory reserves, payment authorizes, inventory commits)');
  let seen = order.status;
  const deadline = Date.now() + 60_000;
  while (order.status !== 'CONFIRMED' && order.status !== 'CANCELLED' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    order = orderSchema.parse(
      await (
        await fetch(`${gateway}/api/orders/${order.id}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json(),
    );
    if (order.status !== seen) say(`   … ${(seen = order.status)}`);
  }
  for (const entry of order.history)
    say(`   ${entry.at}  ${entry.status}${entry.reason ? ` (${entry.reason})` : ''}`);

  step(6, "The saga's own timeline");
  const saga = sagaTimelineSchema.parse(
    (await call('GET', `/api/orders/${order.id}/saga`, { token })).json,
  );
  for (const s of [...saga.steps, ...saga.compensations]) {
    say(
      `   ${s.name.padEnd(18)} ${s.command.padEnd(17)} ${s.status.padEnd(14)} attempts ${s.attempts}  reply ${s.reply?.type ?? '–'}`,
    );
  }
  say(`   saga ${saga.status}`);

  step(7, 'Replay the same request (same Idempotency-Key): the same order, not a second one');
  const replay = await call('POST', '/api/orders', {
    token,
    headers: { 'idempotency-key': key },
    body: {
      shippingAddress: {
        name: user.name,
        line1: '1 Demo Street',
        city: 'Berlin',
        postalCode: '10115',
        country: 'DE',
      },
      paymentToken: 'tok_visa',
    },
  });
  say(
    `   Idempotent-Replayed: ${replay.response.headers.get('idempotent-replayed')}, order ${orderSchema.parse(replay.json).id}`,
  );

  step(8, 'The cart was emptied by OrderConfirmed, and the confirmation email went out');
  const waitUntil = Date.now() + 15_000;
  let after = cartSchema.parse((await call('GET', '/api/cart', { token })).json);
  while (after.items.length > 0 && Date.now() < waitUntil) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    after = cartSchema.parse(
      await (
        await fetch(`${gateway}/api/cart`, { headers: { authorization: `Bearer ${token}` } })
      ).json(),
    );
  }
  say(`   cart now holds ${after.items.length} line(s)`);
  let mail = notificationPageSchema.parse(
    (await call('GET', '/api/notifications', { token })).json,
  );
  while (!mail.items.some((n) => n.orderId === order.id) && Date.now() < waitUntil) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    mail = notificationPageSchema.parse(
      await (
        await fetch(`${gateway}/api/notifications`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json(),
    );
  }
  for (const n of mail.items.slice(0, 3)) say(`   ${n.status}  ${n.subject}`);

  say(`\nDone: order ${order.id} is ${order.status}.`);
  if (order.status !== 'CONFIRMED') process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
