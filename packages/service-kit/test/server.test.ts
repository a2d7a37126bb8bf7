import http from 'node:http';
import type { Socket } from 'node:net';
import { createApp, startServer, type RunningServer } from '../src';
import { capturingLogger } from './support/test-app';

let service: RunningServer;

beforeAll(async () => {
  const app = createApp({
    service: 'test-service',
    logger: capturingLogger().logger,
    routes: (express) => express.get('/hello', (_req, res) => res.json({ hello: 'world' })),
  });
  service = await startServer(app, { port: 0 });
});

afterAll(() => service.close());

/** Two requests on one kept-alive connection; what each answer said, and whether it was reused. */
async function twoRequestsOnOneConnection() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = () =>
    new Promise<{ keepAlive: unknown; reused: boolean }>((resolve, reject) => {
      const request = http.get(`${service.url}/hello`, { agent }, (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ keepAlive: response.headers['keep-alive'], reused: request.reusedSocket }),
        );
      });
      request.on('error', reject);
    });
  try {
    return [await get(), await get()];
  } finally {
    agent.destroy();
  }
}

describe('server connections', () => {
  it('when a client is answered, then it is told its idle connection stays open 65 s, and it is kept', async () => {
    const [first, second] = await twoRequestsOnOneConnection();

    expect(first).toEqual({ keepAlive: 'timeout=65', reused: false });
    expect(second).toEqual({ keepAlive: 'timeout=65', reused: true });
  });

  it('when the server closes, then idle kept-alive connections are closed with it', async () => {
    const app = createApp({
      service: 'test-service',
      logger: capturingLogger().logger,
      routes: (express) => express.get('/hello', (_req, res) => res.json({})),
    });
    const closing = await startServer(app, { port: 0 });
    const agent = new http.Agent({ keepAlive: true });
    const socket = await new Promise<Socket>((resolve, reject) => {
      http
        .get(`${closing.url}/hello`, { agent }, (response) => {
          const kept = response.socket;
          response.resume();
          response.on('end', () => resolve(kept));
        })
        .on('error', reject);
    });
    const socketClosed = new Promise((resolve) => socket.once('close', resolve));

    await closing.close();

    await expect(socketClosed).resolves.toBe(false);
    agent.destroy();
  });
});
