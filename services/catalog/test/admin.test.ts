import { randomUUID } from 'node:crypto';
import { startTestIssuer, type TestIssuer } from '@shop/auth/testing';
import { topics, type CreateProductInput, type Product, type ProductPage } from '@shop/contracts';
import type { Collector } from '@shop/messaging/testing';
import request from 'supertest';
import { kafka, startCatalog, type CatalogUnderTest } from './support/environment';
import { problemOf } from './support/problem';
import { uniqueName, uniqueWord, waitFor } from '@shop/testkit';

jest.setTimeout(90_000);

let issuer: TestIssuer;
let catalog: CatalogUnderTest;
let catalogEvents: Collector;
let adminToken: string;
let customerToken: string;

beforeAll(async () => {
  issuer = await startTestIssuer();
  catalog = await startCatalog(issuer);
  catalogEvents = await kafka.collect(topics.catalogEvents);
  adminToken = await issuer.tokenFor('admin');
  customerToken = await issuer.tokenFor('customer');
});

afterAll(async () => {
  await catalogEvents?.stop();
  await catalog?.close();
  await issuer?.close();
});

function newProduct(overrides: Partial<CreateProductInput> = {}): CreateProductInput {
  return {
    sku: uniqueName('SKU').toUpperCase(),
    name: 'Trail Running Shoes',
    description: 'Grippy shoes for muddy trails.',
    category: 'shoes',
    priceCents: 12_999,
    currency: 'EUR',
    initialStock: 150,
    ...overrides,
  };
}

/** `null` sends no Authorization header at all. */
function create(body: unknown, token: string | null = adminToken) {
  const call = request(catalog.url)
    .post('/api/products')
    .send(body as object);
  return token === null ? call : call.set('Authorization', `Bearer ${token}`);
}

function patch(id: string, body: unknown, token: string | null = adminToken) {
  const call = request(catalog.url)
    .patch(`/api/products/${id}`)
    .send(body as object);
  return token === null ? call : call.set('Authorization', `Bearer ${token}`);
}

interface EventOnTheWire {
  id: string;
  type: string;
  source: string;
  correlationId: string;
  payload: Record<string, unknown>;
}

function eventsFor(productId: string, type: string): EventOnTheWire[] {
  return catalogEvents.messages
    .filter((message) => message.key === productId && message.value !== null)
    .map((message) => JSON.parse(message.value!) as EventOnTheWire)
    .filter((event) => event.type === type);
}

describe('creating a product', () => {
  it('when an admin creates a product, then 201 and a ProductCreated carrying its initial stock', async () => {
    const body = newProduct({ imageUrl: 'https://images.example.com/trail.jpg' });

    const response = await create(body);

    expect(response.status).toBe(201);
    const product = response.body as Product;
    expect(response.headers.location).toBe(`/api/products/${product.id}`);
    expect(product).toMatchObject({
      sku: body.sku,
      name: body.name,
      category: 'shoes',
      priceCents: 12_999,
      currency: 'EUR',
      imageUrl: 'https://images.example.com/trail.jpg',
      stock: { available: 150, status: 'IN_STOCK' },
    });
    const [event] = await waitFor(() => {
      const found = eventsFor(product.id, 'ProductCreated');
      return found.length > 0 && found;
    });
    expect(event).toMatchObject({
      source: 'catalog',
      correlationId: product.id,
      payload: {
        productId: product.id,
        sku: body.sku,
        name: body.name,
        category: 'shoes',
        priceCents: 12_999,
        currency: 'EUR',
        imageUrl: 'https://images.example.com/trail.jpg',
        initialStock: 150,
      },
    });
  });

  it('when a product is created, then it can be fetched by its id', async () => {
    const created = (await create(newProduct({ initialStock: 4 })).expect(201)).body as Product;

    const response = await request(catalog.url).get(`/api/products/${created.id}`).expect(200);

    expect(response.body).toEqual(created);
    expect(created.stock).toMatchObject({ available: 4, status: 'LOW_STOCK' });
  });

  it('when no initial stock is given, then the product starts out of stock', async () => {
    const body: Partial<CreateProductInput> = newProduct();
    delete body.initialStock;

    const response = await create(body).expect(201);

    expect((response.body as Product).stock).toMatchObject({
      available: 0,
      status: 'OUT_OF_STOCK',
    });
  });

  it('when the sku is taken, then 409', async () => {
    const body = newProduct();
    await create(body).expect(201);

    const response = await create({ ...body, name: 'Another name' });

    expect(response.status).toBe(409);
    expect(problemOf(response).errors).toEqual([expect.objectContaining({ path: 'sku' })]);
  });

  it('when two admins create the same sku at once, then exactly one wins', async () => {
    const body = newProduct();

    const statuses = await Promise.all([create(body), create(body), create(body)]).then(
      (responses) => responses.map((response) => response.status).sort(),
    );

    expect(statuses).toEqual([201, 409, 409]);
  });

  it('when the category does not exist, then 422 names it', async () => {
    const response = await create(newProduct({ category: 'spaceships' }));

    expect(response.status).toBe(422);
    expect(problemOf(response).errors).toEqual([
      { path: 'category', message: 'is not a known category' },
    ]);
  });

  it('when the body has an unknown field, then 400 names it', async () => {
    const response = await create({ ...newProduct(), id: randomUUID() });

    expect(response.status).toBe(400);
    expect(problemOf(response).errors).toEqual([expect.objectContaining({ path: 'id' })]);
  });

  it('when a customer creates a product, then 403', async () => {
    const response = await create(newProduct(), customerToken);

    expect(response.status).toBe(403);
  });

  it('when no token is sent, then 401', async () => {
    const response = await create(newProduct(), null);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('when the token is not valid, then 401', async () => {
    const response = await create(newProduct(), 'not.a.token');

    expect(response.status).toBe(401);
  });
});

describe('updating a product', () => {
  it('when an admin changes a product, then 200 with the change and a ProductUpdated with the whole product', async () => {
    const created = (await create(newProduct()).expect(201)).body as Product;

    const response = await patch(created.id, { priceCents: 9_999, category: 'outdoor' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ...created, priceCents: 9_999, category: 'outdoor' });
    const [event] = await waitFor(() => {
      const found = eventsFor(created.id, 'ProductUpdated');
      return found.length > 0 && found;
    });
    expect(event!.payload).toEqual({
      productId: created.id,
      sku: created.sku,
      name: created.name,
      description: created.description,
      category: 'outdoor',
      priceCents: 9_999,
      currency: 'EUR',
      imageUrl: null,
    });
  });

  it('when the image is set to null, then it is removed', async () => {
    const created = (
      await create(newProduct({ imageUrl: 'https://images.example.com/a.png' })).expect(201)
    ).body as Product;

    const response = await patch(created.id, { imageUrl: null }).expect(200);

    expect((response.body as Product).imageUrl).toBeNull();
  });

  it('when the new name is searched for, then the product is found by it', async () => {
    const created = (await create(newProduct()).expect(201)).body as Product;
    const word = uniqueWord();

    await patch(created.id, { name: `Lantern ${word}` }).expect(200);

    const page = (await request(catalog.url).get('/api/products').query({ search: word }))
      .body as ProductPage;
    expect(page.items.map((product) => product.id)).toEqual([created.id]);
  });

  it('when the product does not exist, then 404', async () => {
    const response = await patch(randomUUID(), { name: 'Nothing' });

    expect(response.status).toBe(404);
  });

  it('when nothing is changed, then 400', async () => {
    const created = (await create(newProduct()).expect(201)).body as Product;

    const response = await patch(created.id, {});

    expect(response.status).toBe(400);
  });

  it('when the sku is sent, then 400: a sku never changes', async () => {
    const created = (await create(newProduct()).expect(201)).body as Product;

    const response = await patch(created.id, { sku: 'OTHER-1' });

    expect(response.status).toBe(400);
    expect(problemOf(response).errors).toEqual(
      expect.arrayContaining([{ path: 'sku', message: 'is not a known field' }]),
    );
  });

  it('when the category does not exist, then 422', async () => {
    const created = (await create(newProduct()).expect(201)).body as Product;

    const response = await patch(created.id, { category: 'spaceships' });

    expect(response.status).toBe(422);
  });

  it('when a customer changes a product, then 403', async () => {
    const created = (await create(newProduct()).expect(201)).body as Product;

    const response = await patch(created.id, { name: 'Hacked' }, customerToken);

    expect(response.status).toBe(403);
  });
});

describe('ranking and ordering', () => {
  const word = uniqueWord;

  it('when a word is in one product name and another one description, then the name match ranks first', async () => {
    const token = word();
    const inDescription = (
      await create(newProduct({ name: 'Plain mug', description: `A mug about ${token}.` }))
    ).body as Product;
    const inName = (await create(newProduct({ name: `${token} mug`, description: 'A plain mug.' })))
      .body as Product;

    const page = (await request(catalog.url).get('/api/products').query({ search: token }))
      .body as ProductPage;

    expect(page.items.map((product) => product.id)).toEqual([inName.id, inDescription.id]);
  });

  it('when sorting by name, then names come in alphabetical order', async () => {
    const token = word();
    for (const name of ['Charlie', 'alpha', 'Bravo']) {
      await create(newProduct({ name: `${name} ${token}` })).expect(201);
    }

    const page = (
      await request(catalog.url).get('/api/products').query({ search: token, sort: 'name' })
    ).body as ProductPage;

    expect(page.items.map((product) => product.name.split(' ')[0])).toEqual([
      'alpha',
      'Bravo',
      'Charlie',
    ]);
  });
});
