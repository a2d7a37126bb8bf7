import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Jwks } from '../src';

export interface JwksServer {
  url: string;
  fetches: () => number;
  serve: (jwks: Jwks) => void;
  close: () => Promise<void>;
}

/** Plays identity's /api/auth/jwks.json on a random port. */
export async function startJwksServer(initial: Jwks): Promise<JwksServer> {
  let jwks = initial;
  let fetches = 0;
  const server = http.createServer((_req, res) => {
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/auth/jwks.json`,
    fetches: () => fetches,
    serve: (next) => {
      jwks = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
