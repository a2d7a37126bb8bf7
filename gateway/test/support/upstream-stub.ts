import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The caller went away before the stub answered (e.g. the gateway's timeout aborted it). */
  aborted: boolean;
}

export type StubHandler = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void;

/** Answers 200 with what it received, so a test can see what reached the upstream. */
const echo: StubHandler = (_req, res, seen) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ upstream: 'stub', method: seen.method, url: seen.url }));
};

/**
 * A real HTTP server playing a service at the network boundary: it records every request and
 * answers with `handler` (an echo by default). `stop()` kills it like a crashed process (the port
 * refuses connections); `start()` brings it back on the same port.
 */
export class UpstreamStub {
  readonly requests: SeenRequest[] = [];
  handler: StubHandler = echo;
  private server: http.Server | undefined;
  port = 0;

  constructor(readonly name: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const seen: SeenRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          aborted: false,
        };
        this.requests.push(seen);
        res.on('close', () => {
          if (!res.writableFinished) seen.aborted = true;
        });
        if (req.url === '/health/ready') {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
          return;
        }
        this.handler(req, res, seen);
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Requests other than health probes. */
  seen(): SeenRequest[] {
    return this.requests.filter((request) => request.url !== '/health/ready');
  }
}

export async function startStubs<const N extends string>(
  names: readonly N[],
): Promise<Record<N, UpstreamStub>> {
  const stubs = await Promise.all(names.map((name) => new UpstreamStub(name).start()));
  return Object.fromEntries(stubs.map((stub) => [stub.name, stub])) as Record<N, UpstreamStub>;
}
