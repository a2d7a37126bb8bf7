import http from 'node:http';
import {
  AppError,
  createApp,
  createLogger,
  startServer,
  type Door,
  type RunningServer,
} from '../src';

const logger = createLogger({ service: 'door-test', level: 'silent' });
const full = () => new AppError('OVERLOADED', 'checkout is full', { retryAfterMs: 2_000 });

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
  reusedSocket: boolean;
}

/** One request over `agent`, so that a test can see whether a connection was used again. */
function send(
  url: string,
  path: string,
  { method = 'GET', headers = {}, body, agent }: SendOptions = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: JSON.parse(text) as Record<string, unknown>,
          reusedSocket: req.reusedSocket,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  agent?: http.Agent;
}

describe('a door in front of the app', () => {
  let server: RunningServer;
  /** Requests the app itself saw, by path. */
  const seen: string[] = [];
  /** Statuses of the answers to requests the door let in, as the door saw them finish. */
  const watched: number[] = [];

  const door: Door = (req, res) => {
    if (req.url?.startsWith('/refused')) return full();
    res.once('finish', () => watched.push(res.statusCode));
    return undefined;
  };

  beforeAll(async () => {
    const app = createApp({
      service: 'door-test',
      logger,
      routes: (express) => {
        express.use((req, _res, next) => {
          seen.push(req.path);
          next();
        });
        express.get('/full', () => {
          throw full();
        });
        express.post('/let-in', (req, res) => res.json({ received: req.body as unknown }));
      },
    });
    server = await startServer(app, { port: 0, door });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    seen.length = 0;
    watched.length = 0;
  });

  it('when the door refuses, then the client gets the problem document the app would have sent, with the request id it gave and Retry-After, and the app never sees the request', async () => {
    const atTheDoor = await send(server.url, '/refused?page=2', {
      headers: { 'x-request-id': 'req-42' },
    });
    const fromTheApp = await send(server.url, '/full');

    expect(atTheDoor.status).toBe(503);
    expect(atTheDoor.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(atTheDoor.headers['retry-after']).toBe('2');
    expect(atTheDoor.headers['x-content-type-options']).toBe('nosniff');
    expect(atTheDoor.headers['x-request-id']).toBe('req-42');
    expect(atTheDoor.body).toEqual({
      ...fromTheApp.body,
      instance: '/refused',
      requestId: 'req-42',
    });
    expect(fromTheApp.body).toMatchObject({ status: 503, retryAfterMs: 2_000 });
    expect(seen).toEqual(['/full']);
  });

  it('when a refused request carries no valid request id, then the door makes one and names it in the header and the body alike', async () => {
    const answer = await send(server.url, '/refused', {
      headers: { 'x-request-id': 'not valid!' },
    });

    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.body.requestId).toBe(answer.headers['x-request-id']);
  });

  it('when the door lets a request in, then the app answers it and the door sees the answer finish', async () => {
    const answer = await send(server.url, '/let-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sku: 'A-1' }),
    });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ received: { sku: 'A-1' } });
    expect(seen).toEqual(['/let-in']);
    expect(watched).toEqual([200]);
  });

  it('when a request with a body it never read is refused, then its connection still serves the next request', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await send(server.url, '/refused', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ padding: 'x'.repeat(200_000) }),
        agent,
      });
      const next = await send(server.url, '/let-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"sku":"B-2"}',
        agent,
      });

      expect(refused.status).toBe(503);
      expect(next.status).toBe(200);
      expect(next.reusedSocket).toBe(true);
      expect(next.body).toEqual({ received: { sku: 'B-2' } });
    } finally {
      agent.destroy();
    }
  });
});
