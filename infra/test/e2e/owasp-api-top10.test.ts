import { createHmac, createPrivateKey, createPublicKey, randomUUID, sign } from 'node:crypto';
import net from 'node:net';
import { generateSigningKey, type PrivateSigningJwk } from '@shop/auth';
import {
  apiRoutes,
  cartSchema,
  notificationPageSchema,
  orderPageSchema,
  orderSchema,
  problemSchema,
  productPageSchema,
  productSchema,
  sagaTimelineSchema,
  tokenResponseSchema,
  userSchema,
  type ApiRoute,
  type Order,
  type Problem,
  type Product,
} from '@shop/contracts';
import { waitUntil } from '../../src/processes';
import { startTestbed, type Customer, type Testbed } from '../../src/testbed';
import { gatewayClient } from './shopper';

/**
 * The OWASP API Security Top 10 (2023, https://owasp.org/API-Security/editions/2023/en/0x11-t10/)
 * items that apply to this API, each proven against the whole system as processes, through the
 * gateway only, the way someone holding an ordinary customer account would try them. The cap on
 * units in open orders (under API4) also answers API6, hoarding stock through many orders.
 * API8 (misconfiguration), API9 (inventory) and API10 (unsafe consumption of other APIs) are
 * matters of deployment and process rather than answers of a running system: not claimed here.
 */
let bed: Testbed;
let shop: ReturnType<typeof gatewayClient>;
let admin: string;
/** Identity's signing key, chosen here so that API2 can sign tokens that differ in one flaw only. */
let identityKey: PrivateSigningJwk;

/** The cap the order service is given in this bed (its default is 100). */
const maxOpenUnitsPerProduct = 3;

beforeAll(async () => {
  identityKey = await generateSigningKey();
  bed = await startTestbed(
    ['identity', 'catalog', 'inventory', 'payment', 'notification', 'cart', 'order', 'gateway'],
    {
      identity: { JWT_PRIVATE_JWK: JSON.stringify(identityKey) },
      payment: { PROCESSOR_RETRY_BASE: '20ms', PROCESSOR_RETRY_MAX: '100ms' },
      order: { MAX_OPEN_UNITS_PER_PRODUCT: String(maxOpenUnitsPerProduct) },
    },
  );
  shop = gatewayClient(bed);
  admin = await bed.adminToken();
}, 240_000);

afterAll(async () => {
  await bed?.stop();
}, 120_000);

/** The problem `type` a client branches on, per status (RFC 9457 §3.1.1). */
const problemTypes: Record<number, string> = {
  400: 'validation',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  413: 'payload-too-large',
  422: 'unprocessable',
  429: 'rate-limited',
};

/** The response is an RFC 9457 problem with this status; the body is printed when it is not. */
async function expectProblem(response: Response, status: number): Promise<Problem> {
  const body = await response.text();
  expect(`${response.status} ${body}`).toMatch(new RegExp(`^${status} `));
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = problemSchema.parse(JSON.parse(body));
  expect(problem.status).toBe(status);
  expect(problem.type).toMatch(new RegExp(`^https?://\\S+/${problemTypes[status]}$`));
  return problem;
}

function errorPaths(problem: Problem): string[] {
  return (problem.errors ?? []).map((error) => error.path);
}

/** A body as raw bytes, for what JSON.stringify of an object literal cannot say. */
function sendRaw(
  method: string,
  path: string,
  token: string | undefined,
  body: string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
) {
  return fetch(`${bed.url('gateway')}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body,
    // Node's fetch needs it for a streamed body (sent chunked, without Content-Length).
    duplex: 'half',
  });
}

const shippingAddress = {
  name: 'Ada Lovelace',
  line1: '12 St James Sq',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
};

function placeOrderWith(customer: Customer, body: Record<string, unknown>) {
  return shop.call('POST', '/api/orders', customer.token, body, {
    'idempotency-key': randomUUID(),
  });
}

async function ordersOf(customer: Customer): Promise<Order[]> {
  const response = await shop.call('GET', '/api/orders?pageSize=100', customer.token);
  expect(response.status).toBe(200);
  return orderPageSchema.parse(await response.json()).items;
}

function newProductBody(overrides: Record<string, unknown> = {}) {
  return {
    sku: `OWASP-${randomUUID().slice(0, 8).toUpperCase()}`,
    name: `Security lamp ${randomUUID().slice(0, 4)}`,
    description: 'A lamp that exists for one security test.',
    category: 'home-kitchen',
    priceCents: 1_500,
    currency: 'EUR',
    initialStock: 10,
    ...overrides,
  };
}

async function product(id: string): Promise<Product> {
  const response = await shop.call('GET', `/api/products/${id}`);
  expect(response.status).toBe(200);
  return productSchema.parse(await response.json());
}

async function productCount(): Promise<number> {
  const response = await shop.call('GET', '/api/products?pageSize=1');
  return productPageSchema.parse(await response.json()).total;
}

/**
 * What an admin route could change about a product, as a client sees it. The catalog's stock
 * read model is left out: inventory's events move it on their own schedule.
 */
async function productState(id: string) {
  return {
    product: { ...(await product(id)), stock: null },
    stock: await shop.stock(id),
    productCount: await productCount(),
  };
}

describe('API1:2023 Broken Object Level Authorization', () => {
  // One customer's orders, cart and notifications that another customer then goes after. Built
  // once for the describe: a confirmed order with its email is what makes the probes meaningful,
  // and every test below only reads it (each checks that it is still intact).
  let alice: Customer;
  let bob: Customer;
  let aliceOrder: Order;
  let bobOrder: Order;
  let cartProduct: Product;

  beforeAll(async () => {
    const ordered = await shop.createProduct(admin, 20, 1_250);
    cartProduct = await shop.createProduct(admin, 20, 800);
    [alice, bob] = await Promise.all([shop.register('alice'), shop.register('bob')]);

    await shop.addToCart(alice, ordered.id, 1);
    const placed = orderSchema.parse(await (await shop.placeOrder(alice, 'tok_visa')).json());
    aliceOrder = await shop.settled(alice, placed.id);
    expect(aliceOrder.status).toBe('CONFIRMED');
    await shop.addToCart(bob, ordered.id, 1);
    bobOrder = orderSchema.parse(await (await shop.placeOrder(bob, 'tok_visa')).json());
    await shop.settled(bob, bobOrder.id);

    // OrderConfirmed empties the ordered lines from the cart: wait for it before filling it again.
    const emptied = await waitUntil(async () => (await shop.cart(alice)).items.length === 0, {
      timeoutMs: 30_000,
    });
    expect(emptied).toBe(true);
    await shop.addToCart(alice, cartProduct.id, 2);

    const notified = await waitUntil(
      async () => {
        const response = await shop.call('GET', '/api/notifications', alice.token);
        return notificationPageSchema
          .parse(await response.json())
          .items.some((n) => n.kind === 'ORDER_CONFIRMED' && n.orderId === aliceOrder.id);
      },
      { timeoutMs: 30_000 },
    );
    expect(notified).toBe(true);
  }, 180_000);

  async function expectAliceCartIntact() {
    const cart = await shop.cart(alice);
    expect(cart.items.map(({ productId, quantity }) => ({ productId, quantity }))).toEqual([
      { productId: cartProduct.id, quantity: 2 },
    ]);
  }

  /** What may differ between two 404s for two ids: the id itself, and the request id. */
  function withoutId({ status, type, title, detail, instance }: Problem, id: string) {
    const masked = (text: string) => text.split(id).join('{id}');
    return { status, type, title, detail: masked(detail), instance: masked(instance) };
  }

  const orderRoutes = [
    ['GET', '/api/orders/:id'],
    ['GET', '/api/orders/:id/saga'],
    ['GET', '/api/orders/:id/events'],
    ['POST', '/api/orders/:id/cancel'],
  ] as const;
  const cartRoutes = [
    ['PUT', '/api/cart/items/:productId', { quantity: 0 }, 404],
    ['DELETE', '/api/cart/items/:productId', undefined, 200],
  ] as const;

  test.each(orderRoutes)(
    "when customer B calls %s %s with customer A's order id, then 404 exactly as for an order that does not exist, and A's order is unchanged",
    async (method, path) => {
      const unknownId = randomUUID();

      const foreign = await expectProblem(
        await shop.call(method, path.replace(':id', aliceOrder.id), bob.token),
        404,
      );
      const missing = await expectProblem(
        await shop.call(method, path.replace(':id', unknownId), bob.token),
        404,
      );

      expect(withoutId(foreign, aliceOrder.id)).toEqual(withoutId(missing, unknownId));
      expect(await shop.order(alice, aliceOrder.id)).toEqual(aliceOrder);
      const saga = await shop.call('GET', `/api/orders/${aliceOrder.id}/saga`, alice.token);
      expect(sagaTimelineSchema.parse(await saga.json())).toMatchObject({
        status: 'COMPLETED',
        orderStatus: 'CONFIRMED',
      });
    },
  );

  test("when customer B lists orders, then B's own are listed and none of A's", async () => {
    expect((await ordersOf(bob)).map((order) => order.id)).toEqual([bobOrder.id]);
    expect((await ordersOf(alice)).map((order) => order.id)).toEqual([aliceOrder.id]);
  });

  test("when customer B lists notifications, then A's order confirmation is not among them (and was emailed to A only)", async () => {
    const list = async (customer: Customer) =>
      notificationPageSchema.parse(
        await (await shop.call('GET', '/api/notifications?pageSize=100', customer.token)).json(),
      ).items;
    const [ofAlice, ofBob] = await Promise.all([list(alice), list(bob)]);

    expect(ofAlice.some((n) => n.orderId === aliceOrder.id)).toBe(true);
    expect(ofBob.filter((n) => n.orderId === aliceOrder.id)).toEqual([]);
    const aliceIds = new Set(ofAlice.map((n) => n.id));
    expect(ofBob.filter((n) => aliceIds.has(n.id))).toEqual([]);
    const aboutAliceOrder = bed.mail!.messages().filter((m) => m.text.includes(aliceOrder.id));
    expect(aboutAliceOrder.length).toBeGreaterThan(0);
    expect(aboutAliceOrder.every((m) => m.to.join() === alice.email)).toBe(true);
  });

  test.each(cartRoutes)(
    "when customer B calls %s %s for the product in A's cart, then B's own cart answers and A's cart is intact",
    async (method, path, body, status) => {
      const response = await shop.call(
        method,
        path.replace(':productId', cartProduct.id),
        bob.token,
        body,
      );

      if (status === 404) {
        await expectProblem(response, 404);
      } else {
        expect(response.status).toBe(status);
        expect(cartSchema.parse(await response.json()).items).toEqual([]);
      }
      await expectAliceCartIntact();
    },
  );

  test("when customer B empties their cart (DELETE /api/cart), then only B's cart is emptied", async () => {
    const response = await shop.call('DELETE', '/api/cart', bob.token);

    expect(response.status).toBe(204);
    await expectAliceCartIntact();
  });

  test("when customer B names A in identity headers (X-User-Id, X-Customer-Id, X-Forwarded-User), then B still sees only B's cart and orders", async () => {
    const pretendToBeAlice = {
      'x-user-id': alice.id,
      'x-customer-id': alice.id,
      'x-forwarded-user': alice.id,
      'x-user-role': 'admin',
    };

    const cart = await shop.call('GET', '/api/cart', bob.token, undefined, pretendToBeAlice);
    const orders = await shop.call('GET', '/api/orders', bob.token, undefined, pretendToBeAlice);

    expect(cartSchema.parse(await cart.json()).items).toEqual([]);
    expect(orderPageSchema.parse(await orders.json()).items.map((o) => o.id)).toEqual([
      bobOrder.id,
    ]);
    await expectAliceCartIntact();
  });

  test('when a route with an id in its path is open to customers, then a probe above covers it', () => {
    const key = (route: ApiRoute) => `${route.method} ${route.path}`;
    const withId = apiRoutes.filter((route) => route.path.includes('/:'));
    const probed = [...orderRoutes, ...cartRoutes].map(([method, path]) => `${method} ${path}`);

    expect(
      withId
        .filter((route) => route.auth === 'user')
        .map(key)
        .sort(),
    ).toEqual(probed.sort());
    // Shared catalog data with no owner; the admin routes are API5's below.
    expect(
      withId
        .filter((route) => route.auth === 'none')
        .map(key)
        .sort(),
    ).toEqual(['GET /api/inventory/:productId', 'GET /api/products/:id']);
  });
});

describe('API2:2023 Broken Authentication', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  function claimsFor(customer: Customer, overrides: Record<string, unknown> = {}) {
    return {
      sub: customer.id,
      role: 'customer',
      email: customer.email,
      iss: 'shop-identity',
      aud: 'shop',
      iat: now(),
      exp: now() + 600,
      ...overrides,
    };
  }

  const privateKeyOf = (jwk: PrivateSigningJwk) =>
    createPrivateKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d }, format: 'jwk' });

  function signed(claims: object, key: PrivateSigningJwk = identityKey): string {
    const input = `${base64url({ alg: 'EdDSA', kid: identityKey.kid, typ: 'JWT' })}.${base64url(claims)}`;
    return `${input}.${sign(null, Buffer.from(input), privateKeyOf(key)).toString('base64url')}`;
  }

  const forgeries: [string, (customer: Customer) => Promise<string> | string][] = [
    ['a string that is not a JWT', () => 'not-a-jwt'],
    [
      'alg "none" claiming the admin role',
      (c) =>
        `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claimsFor(c, { role: 'admin' }))}.`,
    ],
    [
      'HS256 keyed with identity’s public key (algorithm confusion)',
      (c) => {
        const input = `${base64url({ alg: 'HS256', kid: identityKey.kid, typ: 'JWT' })}.${base64url(claimsFor(c))}`;
        // The classic confusion: a verifier that lets the token pick its algorithm takes the
        // public key (as PEM) for an HMAC secret anyone can read.
        const secret = createPublicKey(privateKeyOf(identityKey))
          .export({ type: 'spki', format: 'pem' })
          .toString();
        return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      },
    ],
    [
      'signed by another key under identity’s kid',
      async (c) => signed(claimsFor(c), await generateSigningKey()),
    ],
    [
      'signed by identity’s key but expired ten minutes ago',
      (c) => signed(claimsFor(c, { iat: now() - 1_200, exp: now() - 600 })),
    ],
    ['for another audience', (c) => signed(claimsFor(c, { aud: 'another-api' }))],
    ['from another issuer', (c) => signed(claimsFor(c, { iss: 'https://evil.example' }))],
    [
      'valid for two hours (API.md allows at most one)',
      (c) => signed(claimsFor(c, { exp: now() + 7_200 })),
    ],
    [
      'identity’s own token with its role changed to admin, signature kept',
      (c) => {
        const [header, payload, signature] = c.token.split('.');
        const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as object;
        return `${header}.${base64url({ ...claims, role: 'admin' })}.${signature}`;
      },
    ],
  ];

  test('when a token is signed with identity’s key and carries valid claims, then it is accepted (so each forgery below fails for its one flaw)', async () => {
    const customer = await bed.newCustomer();

    const response = await shop.call('GET', '/api/auth/me', signed(claimsFor(customer)));

    expect(response.status).toBe(200);
    expect(userSchema.parse(await response.json())).toMatchObject({ id: customer.id });
  });

  test('when no token is sent to a customer route, then 401 with a Bearer challenge', async () => {
    const response = await shop.call('GET', '/api/orders');

    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await expectProblem(response, 401);
  });

  test.each(forgeries)(
    'when the token is %s, then 401 on a customer route, on an admin route and on a public one',
    async (_name, forge) => {
      const customer = await bed.newCustomer();
      const token = await forge(customer);
      const sku = `OWASP-${randomUUID().slice(0, 8).toUpperCase()}`;

      const orders = await shop.call('GET', '/api/orders', token);
      expect(orders.headers.get('www-authenticate')).toMatch(/^Bearer/);
      await expectProblem(orders, 401);
      await expectProblem(
        await shop.call('POST', '/api/products', token, newProductBody({ sku })),
        401,
      );
      await expectProblem(await shop.call('GET', '/api/products', token), 401);
      // Not created: the admin can still take the sku.
      expect(
        (await shop.call('POST', '/api/products', admin, newProductBody({ sku }))).status,
      ).toBe(201);
    },
  );

  test('when a login has failed 5 times for one email, then even the right password gets 429 with Retry-After', async () => {
    const email = `throttled-${randomUUID().slice(0, 12)}@example.test`;
    const password = randomUUID();
    const registered = await shop.call('POST', '/api/auth/register', undefined, {
      email,
      password,
      name: 'Throttled customer',
    });
    expect(registered.status).toBe(201);

    for (let attempt = 0; attempt < 5; attempt += 1) {
      await expectProblem(
        await shop.call('POST', '/api/auth/login', undefined, { email, password: 'wrong-guess' }),
        401,
      );
    }
    const right = await shop.call('POST', '/api/auth/login', undefined, { email, password });

    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    await expectProblem(right, 429);
  });

  test('when a login names an unknown email, then the answer is the same as for a wrong password (no account enumeration)', async () => {
    const customer = await bed.newCustomer();

    const wrongPassword = await expectProblem(
      await shop.call('POST', '/api/auth/login', undefined, {
        email: customer.email,
        password: 'wrong-password',
      }),
      401,
    );
    const unknownEmail = await expectProblem(
      await shop.call('POST', '/api/auth/login', undefined, {
        email: `nobody-${randomUUID().slice(0, 12)}@example.test`,
        password: 'wrong-password',
      }),
      401,
    );

    const { type, title, detail } = wrongPassword;
    expect({
      type: unknownEmail.type,
      title: unknownEmail.title,
      detail: unknownEmail.detail,
    }).toEqual({ type, title, detail });
  });
});

describe('API3:2023 Broken Object Property Level Authorization (mass assignment, exposure)', () => {
  let catalogProduct: Product;

  beforeAll(async () => {
    // Only read by the tests below: its price is what every order total must come from.
    catalogProduct = await shop.createProduct(admin, 50, 2_345);
  }, 60_000);

  test('when a registration says role "admin", then 400 naming "role", no account exists, and a plain registration is a customer', async () => {
    const email = `climber-${randomUUID().slice(0, 12)}@example.test`;
    const password = randomUUID();

    const refused = await expectProblem(
      await shop.call('POST', '/api/auth/register', undefined, {
        email,
        password,
        name: 'Climber',
        role: 'admin',
      }),
      400,
    );
    expect(errorPaths(refused)).toContain('role');
    await expectProblem(
      await shop.call('POST', '/api/auth/login', undefined, { email, password }),
      401,
    );

    const registered = await shop.call('POST', '/api/auth/register', undefined, {
      email,
      password,
      name: 'Climber',
    });
    expect(registered.status).toBe(201);
    const { token, user } = tokenResponseSchema.parse(await registered.json());
    expect(user.role).toBe('customer');
    const me = await shop.call('GET', '/api/auth/me', token);
    expect(userSchema.parse(await me.json()).role).toBe('customer');
    await expectProblem(await shop.call('POST', '/api/products', token, newProductBody()), 403);
  });

  test('when a registration smuggles "__proto__": {"role": "admin"}, then 400 and no account exists', async () => {
    const email = `proto-${randomUUID().slice(0, 12)}@example.test`;
    const password = randomUUID();
    const body = `{"email":"${email}","password":"${password}","name":"Proto","__proto__":{"role":"admin"}}`;

    const refused = await expectProblem(
      await sendRaw('POST', '/api/auth/register', undefined, body),
      400,
    );

    expect(errorPaths(refused)).toContain('__proto__');
    await expectProblem(
      await shop.call('POST', '/api/auth/login', undefined, { email, password }),
      401,
    );
  });

  test('when a customer reads their account, then exactly id, email, name and role come back (no hash, no internals)', async () => {
    const customer = await shop.register('exposure');

    const me = (await (await shop.call('GET', '/api/auth/me', customer.token)).json()) as object;

    expect(Object.keys(me).sort()).toEqual(['email', 'id', 'name', 'role']);
    const jwks = (await (await shop.call('GET', '/api/auth/jwks.json')).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
  });

  test.each([
    ['status', 'CONFIRMED'],
    ['totalCents', 1],
    ['priceCents', 1],
    ['currency', 'USD'],
    ['customerId', randomUUID()],
    ['items', [{ productId: randomUUID(), quantity: 1, unitPriceCents: 1 }]],
  ])(
    'when a customer places an order with "%s" in the body, then 400 naming it and no order exists',
    async (field, value) => {
      const customer = await bed.newCustomer();
      await shop.addToCart(customer, catalogProduct.id, 1);

      const refused = await expectProblem(
        await placeOrderWith(customer, {
          shippingAddress,
          paymentToken: 'tok_visa',
          [field]: value,
        }),
        400,
      );

      expect(errorPaths(refused)).toContain(field);
      expect(await ordersOf(customer)).toEqual([]);
    },
  );

  test('when the shipping address carries an unknown field, then 400 naming it', async () => {
    const customer = await bed.newCustomer();
    await shop.addToCart(customer, catalogProduct.id, 1);

    const refused = await expectProblem(
      await placeOrderWith(customer, {
        shippingAddress: { ...shippingAddress, customerId: randomUUID() },
        paymentToken: 'tok_visa',
      }),
      400,
    );

    expect(errorPaths(refused)).toContain('shippingAddress.customerId');
    expect(await ordersOf(customer)).toEqual([]);
  });

  test('when a customer sends their own unit price to the cart, then 400, and the cart and the order are priced from the catalog', async () => {
    const customer = await bed.newCustomer();

    const refused = await expectProblem(
      await shop.call('POST', '/api/cart/items', customer.token, {
        productId: catalogProduct.id,
        quantity: 2,
        unitPriceCents: 1,
      }),
      400,
    );
    expect(errorPaths(refused)).toContain('unitPriceCents');
    expect((await shop.cart(customer)).items).toEqual([]);

    const cart = await shop.addToCart(customer, catalogProduct.id, 2);
    expect(cart.items[0]).toMatchObject({ unitPriceCents: 2_345, lineTotalCents: 4_690 });
    const placed = await placeOrderWith(customer, { shippingAddress, paymentToken: 'tok_visa' });
    expect(placed.status).toBe(202);
    const order = orderSchema.parse(await placed.json());
    expect(order).toMatchObject({ totalCents: 4_690, currency: 'EUR' });
    expect(order.items).toEqual([expect.objectContaining({ unitPriceCents: 2_345, quantity: 2 })]);
  });

  test.each([
    ['id', randomUUID()],
    ['sku', 'HIJACKED-SKU'],
    ['currency', 'USD'],
    ['stock', { available: 1_000_000, status: 'IN_STOCK', asOf: new Date().toISOString() }],
  ])(
    'when an admin PATCHes a product with "%s", then 400 naming it and the product is unchanged',
    async (field, value) => {
      const target = await shop.createProduct(admin, 5);
      const before = await productState(target.id);

      const refused = await expectProblem(
        await shop.call('PATCH', `/api/products/${target.id}`, admin, {
          name: 'Renamed alongside',
          [field]: value,
        }),
        400,
      );

      expect(errorPaths(refused)).toContain(field);
      expect(await productState(target.id)).toEqual(before);
    },
  );
});

describe('API4:2023 Unrestricted Resource Consumption', () => {
  const overLimit = 64 * 1024 + 1;
  const padded = (fields: Record<string, unknown>, bytes: number) => {
    const json = JSON.stringify({ ...fields, padding: '' });
    return `${json.slice(0, -2)}${'x'.repeat(bytes - json.length)}"}`;
  };

  test.each([
    ['POST', '/api/auth/register', 'none'],
    ['POST', '/api/cart/items', 'user'],
    ['POST', '/api/products', 'admin'],
  ] as const)(
    'when a JSON body to %s %s is over 64 KiB, then 413 (and one just under the limit is judged on its content: 400)',
    async (method, path, auth) => {
      const token =
        auth === 'none' ? undefined : auth === 'admin' ? admin : (await bed.newCustomer()).token;
      const fields = { productId: randomUUID(), quantity: 1 };

      expect(padded(fields, overLimit)).toHaveLength(overLimit);
      await expectProblem(await sendRaw(method, path, token, padded(fields, overLimit)), 413);
      await expectProblem(await sendRaw(method, path, token, padded(fields, 60 * 1024)), 400);
    },
  );

  test('when a body over 64 KiB is streamed without Content-Length (chunked), then 413', async () => {
    const customer = await bed.newCustomer();
    const body = padded({ productId: randomUUID(), quantity: 1 }, 256 * 1024);
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < body.length; offset += 8 * 1024) {
          controller.enqueue(Buffer.from(body.slice(offset, offset + 8 * 1024)));
        }
        controller.close();
      },
    });

    await expectProblem(await sendRaw('POST', '/api/cart/items', customer.token, chunks), 413);
  });

  const paginated = apiRoutes.filter(
    (route) => route.method === 'GET' && route.query?.shape.pageSize !== undefined,
  );

  test('when the paginated routes are listed from the contracts, then orders, notifications and products are among them', () => {
    expect(paginated.map((route) => route.path)).toEqual(
      expect.arrayContaining(['/api/orders', '/api/notifications', '/api/products']),
    );
  });

  test.each(paginated)(
    'when $path is asked for pageSize 101 (or 0, 1e9, or page 0), then 400; pageSize 100 is served',
    async (route) => {
      const token = route.auth === 'none' ? undefined : (await bed.newCustomer()).token;

      for (const query of ['pageSize=101', 'pageSize=0', 'page=0', 'pageSize=1e9']) {
        const problem = await expectProblem(
          await shop.call('GET', `${route.path}?${query}`, token),
          400,
        );
        expect(errorPaths(problem)).toContain(query.split('=')[0]);
      }
      const largest = await shop.call('GET', `${route.path}?pageSize=100`, token);
      expect(largest.status).toBe(200);
      expect(((await largest.json()) as { pageSize: number }).pageSize).toBe(100);
    },
  );

  test('when a product search is longer than 200 characters, then 400', async () => {
    const problem = await expectProblem(
      await shop.call('GET', `/api/products?search=${'a'.repeat(201)}`),
      400,
    );
    expect(errorPaths(problem)).toContain('search');
  });

  test.each([0, 100, 1e9, -1, 1.5, '5'])(
    'when a customer adds %p units of a product to the cart, then 400 and the cart is unchanged',
    async (quantity) => {
      const target = await shop.createProduct(admin, 5);
      const customer = await bed.newCustomer();

      const problem = await expectProblem(
        await shop.call('POST', '/api/cart/items', customer.token, {
          productId: target.id,
          quantity,
        }),
        400,
      );

      expect(errorPaths(problem)).toContain('quantity');
      expect((await shop.cart(customer)).items).toEqual([]);
    },
  );

  test.each([100, 1e9, -1])(
    'when a customer sets a cart line to %p units, then 400 and the line keeps its quantity',
    async (quantity) => {
      const target = await shop.createProduct(admin, 5);
      const customer = await bed.newCustomer();
      await shop.addToCart(customer, target.id, 2);

      const problem = await expectProblem(
        await shop.call('PUT', `/api/cart/items/${target.id}`, customer.token, { quantity }),
        400,
      );

      expect(errorPaths(problem)).toContain('quantity');
      expect((await shop.cart(customer)).items).toEqual([
        expect.objectContaining({ productId: target.id, quantity: 2 }),
      ]);
    },
  );

  test('when an admin asks for more than 100,000 units at creation or in one restock, then 400 and stock is unchanged', async () => {
    const target = await shop.createProduct(admin, 5);

    const created = await expectProblem(
      await shop.call('POST', '/api/products', admin, newProductBody({ initialStock: 100_001 })),
      400,
    );
    const restocked = await expectProblem(
      await shop.call('POST', `/api/inventory/${target.id}/restock`, admin, { quantity: 100_001 }),
      400,
    );

    expect(errorPaths(created)).toContain('initialStock');
    expect(errorPaths(restocked)).toContain('quantity');
    expect(await shop.stock(target.id)).toMatchObject({ onHand: 5, reserved: 0 });
  });

  describe('rate limits (a gateway of its own, with small quotas)', () => {
    // The main bed raises every quota out of reach (its customers all come from 127.0.0.1); this
    // one keeps them small, and a window long enough that no test straddles two windows.
    const quotas = { auth: 3, user: 5, ip: 30 };
    let limited: Testbed;
    let client: ReturnType<typeof gatewayClient>;

    beforeAll(async () => {
      limited = await startTestbed(['identity', 'gateway'], {
        gateway: {
          RATE_LIMIT_AUTH: String(quotas.auth),
          RATE_LIMIT_PER_USER: String(quotas.user),
          RATE_LIMIT_PER_IP: String(quotas.ip),
          RATE_LIMIT_WINDOW: '10m',
        },
      });
      client = gatewayClient(limited);
    }, 240_000);

    afterAll(async () => {
      await limited?.stop();
    }, 120_000);

    async function expectRateLimited(response: Response, policy: string) {
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(response.headers.get('ratelimit-policy')).toContain(`"${policy}";q=`);
      expect(response.headers.get('ratelimit')).toMatch(new RegExp(`"${policy}";r=0;t=\\d+`));
      const problem = await expectProblem(response, 429);
      expect(problem.retryAfterMs).toBeGreaterThan(0);
    }

    test('when an address tries a 4th login or registration within the window (quota 3), then 429 with Retry-After, and a spoofed X-Forwarded-For does not reset it', async () => {
      const guess = () =>
        client.call('POST', '/api/auth/login', undefined, {
          email: `guess-${randomUUID().slice(0, 12)}@example.test`,
          password: 'password-guess',
        });

      for (let attempt = 0; attempt < quotas.auth; attempt += 1) {
        await expectProblem(await guess(), 401);
      }

      await expectRateLimited(await guess(), 'auth');
      await expectRateLimited(
        await client.call(
          'POST',
          '/api/auth/register',
          undefined,
          {
            email: `late-${randomUUID().slice(0, 12)}@example.test`,
            password: randomUUID(),
            name: 'Late',
          },
          { 'x-forwarded-for': '203.0.113.7', 'x-real-ip': '203.0.113.7' },
        ),
        'auth',
      );
    });

    test('when one user sends a 6th request within the window (quota 5), then 429 for that user only', async () => {
      const [greedy, other] = await Promise.all([limited.newCustomer(), limited.newCustomer()]);

      for (let request = 0; request < quotas.user; request += 1) {
        expect((await client.call('GET', '/api/auth/me', greedy.token)).status).toBe(200);
      }

      await expectRateLimited(await client.call('GET', '/api/auth/me', greedy.token), 'user');
      expect((await client.call('GET', '/api/auth/me', other.token)).status).toBe(200);
    });

    test('when one address spends its whole quota (30), then the next request gets 429, signed in or not', async () => {
      const probe = await client.call('GET', '/api/auth/jwks.json');
      expect(probe.status).toBe(200);
      const remaining = Number(/"ip";r=(\d+)/.exec(probe.headers.get('ratelimit') ?? '')?.[1]);
      expect(remaining).toBeGreaterThanOrEqual(0);

      for (let request = 0; request < remaining; request += 1) {
        expect((await client.call('GET', '/api/auth/jwks.json')).status).toBe(200);
      }

      await expectRateLimited(await client.call('GET', '/api/auth/jwks.json'), 'ip');
      const customer = await limited.newCustomer();
      await expectRateLimited(await client.call('GET', '/api/auth/me', customer.token), 'ip');
    });
  });

  describe(`units of one product in a customer's open orders (MAX_OPEN_UNITS_PER_PRODUCT=${maxOpenUnitsPerProduct})`, () => {
    /** The refused line is named: by its product (id or sku) or by its place in the order. */
    function expectLineNamed(problem: Problem, target: Product) {
      expect(problem.errors?.length).toBeGreaterThan(0);
      expect(
        problem.errors!.some(
          (error) =>
            /^items\.0(\.|$)/.test(error.path) ||
            [error.path, error.message].some(
              (text) => text.includes(target.id) || text.includes(target.sku),
            ),
        ),
      ).toBe(true);
    }

    test('when one order alone holds more units of a product than the cap, then 422 naming the line and no order exists', async () => {
      const target = await shop.createProduct(admin, 20);
      const customer = await bed.newCustomer();
      await shop.addToCart(customer, target.id, maxOpenUnitsPerProduct + 1);

      const problem = await expectProblem(await shop.placeOrder(customer, 'tok_visa'), 422);

      expectLineNamed(problem, target);
      expect(await ordersOf(customer)).toEqual([]);
      expect(await shop.stock(target.id)).toMatchObject({ onHand: 20, reserved: 0 });
    });

    test('when open orders already hold the cap and one more unit is ordered, then 422 naming the line, nothing written, and another customer is not affected', async () => {
      const target = await shop.createProduct(admin, 20);
      const [customer, other] = await Promise.all([bed.newCustomer(), bed.newCustomer()]);
      // With payment down, every order stays open (STOCK_RESERVED) for the saga's 60 s deadline.
      await bed.suspend('payment');
      try {
        await shop.addToCart(customer, target.id, 2);
        expect((await shop.placeOrder(customer, 'tok_visa')).status).toBe(202);
        // The cart is emptied only by OrderConfirmed, which cannot come while payment is down.
        await shop.call('PUT', `/api/cart/items/${target.id}`, customer.token, { quantity: 1 });
        expect((await shop.placeOrder(customer, 'tok_visa')).status).toBe(202);

        const problem = await expectProblem(await shop.placeOrder(customer, 'tok_visa'), 422);

        expectLineNamed(problem, target);
        const orders = await ordersOf(customer);
        expect(orders).toHaveLength(2);
        expect(orders.every((o) => o.status !== 'CONFIRMED' && o.status !== 'CANCELLED')).toBe(
          true,
        );
        expect((await shop.cart(customer)).items).toEqual([
          expect.objectContaining({ productId: target.id, quantity: 1 }),
        ]);
        await shop.addToCart(other, target.id, maxOpenUnitsPerProduct);
        expect((await shop.placeOrder(other, 'tok_visa')).status).toBe(202);
      } finally {
        bed.resume('payment');
        await bed.whenBack('payment', 150_000);
      }
    }, 240_000);
  });
});

describe('API5:2023 Broken Function Level Authorization', () => {
  // Derived from the contracts, so a new admin route is probed without touching this file.
  const adminRoutes = apiRoutes.filter((route) => route.auth === 'admin');

  /** A request an admin may make, so the only reason left to refuse it is who is asking. */
  const validBodies: Record<string, () => unknown> = {
    createProduct: () => newProductBody(),
    updateProduct: () => ({ name: 'Renamed by someone else', priceCents: 1 }),
    restock: () => ({ quantity: 1_000 }),
  };
  /** The reconciliation reads, each with the query string a valid request needs. */
  const validReads: Record<string, () => string> = {
    getOrderReconciliation: () => '',
    getPaymentSummary: () => '',
    listPaymentsOfOrder: () => `?orderId=${randomUUID()}`,
    getSlowestSagas: () => '?withinSeconds=60',
    countDeadLetters: () => '',
  };

  // The gateway decides before the body, the query or the ids matter, so a new route whose input
  // this file does not know is still probed (with {} and no query) for its 401/403.
  function requestFor(route: ApiRoute, target: Product) {
    return {
      path: route.path.replace(/:\w+/g, target.id) + (validReads[route.operationId]?.() ?? ''),
      body: validBodies[route.operationId]?.() ?? (route.body ? {} : undefined),
      known: route.operationId in validBodies || route.operationId in validReads,
    };
  }

  test('when the admin routes are listed from the contracts, then product creation, product changes, restocking and the reconciliation reads are among them', () => {
    expect(adminRoutes.map((route) => route.operationId)).toEqual(
      expect.arrayContaining([...Object.keys(validBodies), ...Object.keys(validReads)]),
    );
  });

  test.each(adminRoutes)(
    'when a customer calls $method $path, then 403 and nothing changes (the same request from an admin succeeds)',
    async (route) => {
      const target = await shop.createProduct(admin, 7);
      const customer = await bed.newCustomer();
      const { path, body, known } = requestFor(route, target);
      const before = await productState(target.id);

      await expectProblem(await shop.call(route.method, path, customer.token, body), 403);

      expect(await productState(target.id)).toEqual(before);
      if (known) {
        const asAdmin = await shop.call(route.method, path, admin, body);
        expect(asAdmin.status).toBe(route.success.status);
      }
    },
  );

  test.each(adminRoutes)(
    'when nobody is signed in and calls $method $path, then 401 and nothing changes',
    async (route) => {
      const target = await shop.createProduct(admin, 7);
      const { path, body } = requestFor(route, target);
      const before = await productState(target.id);

      const response = await shop.call(route.method, path, undefined, body);

      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      await expectProblem(response, 401);
      expect(await productState(target.id)).toEqual(before);
    },
  );
});

describe('API7:2023 Server Side Request Forgery', () => {
  /** A TCP listener that only counts who connects: any protocol a service might speak to it. */
  async function tripwire() {
    let connections = 0;
    const server = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      port: (server.address() as net.AddressInfo).port,
      connections: () => connections,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  test('when an admin points a product image at an internal address, then the URL is stored as given and nothing in the system connects to it', async () => {
    const listener = await tripwire();
    try {
      const created = await shop.call(
        'POST',
        '/api/products',
        admin,
        newProductBody({ imageUrl: `http://127.0.0.1:${listener.port}/created.png` }),
      );
      expect(created.status).toBe(201);
      const target = productSchema.parse(await created.json());
      expect(target.imageUrl).toBe(`http://127.0.0.1:${listener.port}/created.png`);
      const patched = await shop.call('PATCH', `/api/products/${target.id}`, admin, {
        imageUrl: `http://127.0.0.1:${listener.port}/patched.png`,
      });
      expect(patched.status).toBe(200);
      // Inventory and cart consume the product's events; the cart keeps a snapshot of it.
      const sellable = await waitUntil(
        async () => (await shop.call('GET', `/api/inventory/${target.id}`)).ok,
        { timeoutMs: 30_000 },
      );
      expect(sellable).toBe(true);
      await shop.addToCart(await bed.newCustomer(), target.id, 1);
      expect((await product(target.id)).imageUrl).toBe(
        `http://127.0.0.1:${listener.port}/patched.png`,
      );

      // Proving an absence needs a window: long enough for any consumer to have acted on it.
      const touched = await waitUntil(() => listener.connections() > 0, { timeoutMs: 5_000 });

      expect(touched).toBe(false);
    } finally {
      await listener.close();
    }
  });

  test.each([
    'file:///etc/passwd',
    'gopher://127.0.0.1:6379/_FLUSHALL',
    'ftp://127.0.0.1/image.png',
    'data:image/png;base64,iVBORw0KGgo=',
    'javascript:alert(1)',
  ])(
    'when an admin gives a product the image URL %s, then 400 naming imageUrl at creation and at a change, and nothing is stored',
    async (imageUrl) => {
      const target = await shop.createProduct(admin, 5);
      const before = await productState(target.id);

      const created = await expectProblem(
        await shop.call('POST', '/api/products', admin, newProductBody({ imageUrl })),
        400,
      );
      const patched = await expectProblem(
        await shop.call('PATCH', `/api/products/${target.id}`, admin, { imageUrl }),
        400,
      );

      expect(errorPaths(created)).toContain('imageUrl');
      expect(errorPaths(patched)).toContain('imageUrl');
      expect(await productState(target.id)).toEqual(before);
    },
  );
});
