import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { behindDoor, type Door } from './door';
import { announceClosing } from './event-stream';

export interface ServerOptions {
  /** 0 picks a free port, which is what tests want. */
  port: number;
  host?: string;
  /** Refusals answered before the app sees the request (the gateway's load shedding). */
  door?: Door;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  /** Stops accepting, closes idle keep-alive connections, resolves once in-flight requests end. */
  close(): Promise<void>;
}

export async function startServer(
  app: Express,
  { port, host = '127.0.0.1', door }: ServerOptions,
): Promise<RunningServer> {
  const server = createServer(door ? behindDoor(app, door) : app).listen(port, host);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    server,
    close: () => closeServer(server),
  };
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
    announceClosing(server);
  });
}
