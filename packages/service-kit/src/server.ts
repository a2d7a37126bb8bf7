import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { announceClosing } from './event-stream';

export interface ServerOptions {
  /** 0 picks a free port, which is what tests want. */
  port: number;
  host?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  /** Stops accepting, closes idle keep-alive connections, resolves once in-flight requests end. */
  close(): Promise<void>;
}

/**
 * How long a client's idle connection stays open: 65 s, where Node's default is 5 s. Clients
 * read it from the `Keep-Alive: timeout=65` header (fetch does), so a shopper's connection
 * outlives a pause instead of being opened again after it. Longer than the 60 s idle timeout of
 * common load balancers, so they close first and never send on a connection just closed here.
 *
 * Opening one is dear for a busy server: libuv (1.45 and later, Node 20) accepts one connection
 * per turn of the event loop, and a gateway whose turns are long with work falls behind on
 * accepts (docs/performance.md, "The gateway's listen queue"). With 5 s, the overload
 * benchmark's shoppers closed ~2,000 connections a run and opened as many; with 65 s, ~700.
 */
export const keepAliveTimeoutMs = 65_000;

export async function startServer(
  app: Express,
  { port, host = '127.0.0.1' }: ServerOptions,
): Promise<RunningServer> {
  const server = app.listen(port, host);
  server.keepAliveTimeout = keepAliveTimeoutMs;
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
