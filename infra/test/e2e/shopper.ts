import { randomUUID } from 'node:crypto';
import {
  cartSchema,
  orderSchema,
  productSchema,
  stockLevelSchema,
  type Order,
  type StockLevel,
} from '@shop/contracts';
import { waitUntil } from '../../src/processes';
import type { Customer, Testbed } from '../../src/testbed';

/** What a client of the public API does, through the gateway only. */
export function gatewayClient(bed: Pick<Testbed, 'url'>) {
  const gateway = bed.url('gateway');
  const call = async (method: string, path: string, token?: string, body?: unknown, headers = {}) =>
    fetch(`${gateway}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  return {
    call,

    /** A new customer with a random address and password, registered through the gateway. */
    async register(label: string): Promise<Customer> {
      const email = `${label}-${randomUUID().slice(0, 12)}@example.test`;
      const response = await call('POST', '/api/auth/register', undefined, {
        email,
        password: randomUUID(),
        name: `${label} customer`,
      });
      if (response.status !== 201)
        throw new Error(`register: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as { token: string; user: { id: string } };
      return { id: body.user.id, email, token: body.token };
    },

    async createProduct(admin: string, initialStock: number, priceCents = 1_999) {
      const response = await call('POST', '/api/products', admin, {
        sku: `E2E-${randomUUID().slice(0, 8).toUpperCase()}`,
        name: `End-to-end lamp ${randomUUID().slice(0, 4)}`,
        description: 'A lamp that exists for one end-to-end test.',
        category: 'home-kitchen',
        priceCents,
        currency: 'EUR',
        initialStock,
      });
      if (response.status !== 201)
        throw new Error(`create product: ${response.status} ${await response.text()}`);
      const product = productSchema.parse(await response.json());
      // Inventory learns about it from catalog.events: wait until it is sellable.
      const known = await waitUntil(
        async () => (await call('GET', `/api/inventory/${product.id}`)).ok,
        {
          timeoutMs: 30_000,
        },
      );
      if (!known) throw new Error(`inventory never learned about ${product.id}`);
      return product;
    },

    async stock(productId: string): Promise<StockLevel> {
      const response = await call('GET', `/api/inventory/${productId}`);
      return stockLevelSchema.parse(await response.json());
    },

    async addToCart(customer: Customer, productId: string, quantity: number) {
      const response = await call('POST', '/api/cart/items', customer.token, {
        productId,
        quantity,
      });
      if (response.status !== 200)
        throw new Error(`add to cart: ${response.status} ${await response.text()}`);
      return cartSchema.parse(await response.json());
    },

    async cart(customer: Customer) {
      return cartSchema.parse(await (await call('GET', '/api/cart', customer.token)).json());
    },

    placeOrder(customer: Customer, paymentToken: string, idempotencyKey = randomUUID()) {
      return call(
        'POST',
        '/api/orders',
        customer.token,
        {
          shippingAddress: {
            name: 'Ada Lovelace',
            line1: '12 St James Sq',
            city: 'London',
            postalCode: 'SW1Y 4JH',
            country: 'GB',
          },
          paymentToken,
        },
        { 'idempotency-key': idempotencyKey },
      );
    },

    async order(customer: Customer, orderId: string): Promise<Order> {
      return orderSchema.parse(
        await (await call('GET', `/api/orders/${orderId}`, customer.token)).json(),
      );
    },

    /** Polls until the saga has ended (CONFIRMED or CANCELLED). */
    async settled(customer: Customer, orderId: string, timeoutMs = 90_000): Promise<Order> {
      let last: Order | undefined;
      const ended = await waitUntil(
        async () => {
          last = await this.order(customer, orderId);
          return last.status === 'CONFIRMED' || last.status === 'CANCELLED';
        },
        { timeoutMs, intervalMs: 250 },
      );
      if (!ended) throw new Error(`order ${orderId} still ${last?.status} after ${timeoutMs} ms`);
      return last!;
    },
  };
}
