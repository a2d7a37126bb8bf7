import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type UpstreamHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface Upstream {
  url: string;
  /** Requests that reached the server. */
  hits: () => number;
  /** Requests whose client went away before an answer was written. */
  aborted: () => number;
  /** Replaces the behaviour for the following requests. */
  respondWith: (handler: UpstreamHandler) => void;
  close: () => Promise<void>;
}

export function json(status: number, body?: unknown): UpstreamHandler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
}

export const neverAnswer: UpstreamHandler = () => undefined;

export async function startUpstream(initial: UpstreamHandler): Promise<Upstream> {
  let handler = initial;
  let hits = 0;
  let aborted = 0;
  const server = http.createServer((req, res) => {
    hits++;
    res.on('close', () => {
      if (!res.writableFinished) aborted++;
    });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    aborted: () => aborted,
    respondWith: (next) => {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
