import http, {
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { createBreaker, type Breaker, type BreakerRegistry } from '@shop/resilience';
import { AppError, onServerClosing } from '@shop/service-kit';
import { upstreamFor, type Upstream } from '../upstreams';

export interface BreakerSettings {
  volumeThreshold: number;
  errorThresholdPercentage: number;
  resetTimeoutMs: number;
}

/** A connection-level failure is retried by the client after this long (the breaker may know better). */
const connectionRetryAfterMs = 1_000;

/**
 * The upstream answered 5xx: a failure for its breaker, but the answer (a problem document of
 * its own) is already on its way to the client, so the gateway must not answer again.
 */
class UpstreamAnsweredWithServerError extends Error {
  constructor(
    readonly upstream: string,
    readonly status: number,
  ) {
    super(`${upstream} answered ${status}`);
  }
}

/** The client went away: says nothing about the upstream's health. */
class ClientGone extends Error {
  readonly countsAsFailure = false;
}

interface Exchange {
  settle(error?: unknown): void;
  signal: AbortSignal;
  proxyReq?: ClientRequest;
  proxyRes?: IncomingMessage;
}

/** One proxied request in flight, found again by the request http-proxy passes to its events. */
const exchanges = new WeakMap<IncomingMessage, Exchange>();

function connectionFailure(upstream: Upstream, error: unknown): AppError {
  const code = (error as { code?: unknown }).code;
  const reason = code === 'ECONNREFUSED' ? 'connection refused' : 'connection failed';
  // The detail names the service, never its address: no internal host reaches a client.
  return new AppError('UPSTREAM_UNAVAILABLE', `${upstream.name} is unavailable (${reason})`, {
    retryAfterMs: connectionRetryAfterMs,
    cause: error,
  });
}

/**
 * express.json has already read a JSON body (the gateway answers 400/413/415 itself); the proxy
 * sends the parsed value on. Its length and encoding are no longer the client's.
 */
function writeParsedBody(proxyReq: ClientRequest, req: Request): void {
  if (!req.readableEnded || req.body === undefined) return;
  const body = JSON.stringify(req.body);
  proxyReq.removeHeader('transfer-encoding');
  proxyReq.removeHeader('content-encoding');
  proxyReq.setHeader('content-length', Buffer.byteLength(body));
  proxyReq.write(body);
}

function proxyMiddlewareFor(upstream: Upstream, agent: http.Agent) {
  return createProxyMiddleware<Request, Response>({
    target: upstream.url,
    changeOrigin: true,
    agent,
    // The default plugins answer errors themselves (502 text); here the breaker decides.
    ejectPlugins: true,
    plugins: [
      (proxyServer) => {
        proxyServer.on('proxyReq', (proxyReq, req) => {
          const exchange = exchanges.get(req);
          if (!exchange) return;
          exchange.proxyReq = proxyReq;
          if (exchange.signal.aborted) {
            proxyReq.destroy();
            return;
          }
          writeParsedBody(proxyReq, req);
        });
        proxyServer.on('proxyRes', (proxyRes, req) => {
          const exchange = exchanges.get(req);
          if (!exchange) return;
          exchange.proxyRes = proxyRes;
          const status = proxyRes.statusCode ?? 502;
          if (isEventStream(proxyRes)) {
            followEventStream(req, proxyRes);
            exchange.settle();
            return;
          }
          proxyRes.once('end', () =>
            exchange.settle(
              status >= 500 && !isDeliberateRefusal(status, proxyRes.headers)
                ? new UpstreamAnsweredWithServerError(upstream.name, status)
                : undefined,
            ),
          );
          proxyRes.once('error', (error) => exchange.settle(connectionFailure(upstream, error)));
        });
        proxyServer.on('error', (error, req) => {
          exchanges.get(req)?.settle(connectionFailure(upstream, error));
        });
        proxyServer.on('econnreset', (_error, req) => {
          exchanges.get(req)?.settle(new ClientGone('the client closed the connection'));
        });
      },
    ],
  });
}

function isEventStream(proxyRes: IncomingMessage): boolean {
  return (
    (proxyRes.statusCode ?? 0) < 300 &&
    /^text\/event-stream\b/.test(proxyRes.headers['content-type'] ?? '')
  );
}

/**
 * An event stream (GET /api/orders/:id/events) stays open for as long as it has news: the
 * breaker times only until its headers arrive — the upstream answered — and the stream then
 * flows outside it. It ends when the client leaves, or when this gateway starts closing (a
 * graceful shutdown would otherwise wait for it).
 */
function followEventStream(req: IncomingMessage, proxyRes: IncomingMessage): void {
  const clientGone = () => proxyRes.destroy();
  // The client reconnects (to another replica, when this one is going away).
  const stopListening = onServerClosing(req as Request, () => {
    proxyRes.destroy();
    req.socket.destroy();
  });
  req.socket.once('close', clientGone);
  proxyRes.once('close', () => {
    stopListening();
    req.socket.off('close', clientGone);
  });
}

/**
 * A 503 with Retry-After is a service shedding load on purpose (the order service's admission
 * control): it is working, and says when to come back. Counting it as a failure would open the
 * breaker and refuse the upstream's other routes too — reading orders because checkout is full.
 */
function isDeliberateRefusal(status: number, headers: IncomingHttpHeaders): boolean {
  return status === 503 && headers['retry-after'] !== undefined;
}

/**
 * One exchange through the proxy as a promise the breaker can time: it settles when the answer
 * has been passed on in full (or failed). When the breaker's timeout aborts `signal`, the request
 * to the upstream is destroyed, so a slow upstream sees its client go away.
 */
function proxiedExchange(proxy: ReturnType<typeof proxyMiddlewareFor>) {
  return (signal: AbortSignal, req: Request, res: Response) =>
    new Promise<void>((resolve, reject) => {
      let settled = false;
      const exchange: Exchange = {
        signal,
        settle(error) {
          if (settled) return;
          settled = true;
          exchanges.delete(req);
          if (error === undefined) resolve();
          else
            reject(error instanceof Error ? error : new Error('proxying failed', { cause: error }));
        },
      };
      exchanges.set(req, exchange);
      signal.addEventListener('abort', () => {
        exchange.proxyReq?.destroy();
        exchange.proxyRes?.destroy();
        exchange.settle(signal.reason);
      });
      res.once('close', () => {
        if (!res.writableFinished)
          exchange.settle(new ClientGone('the client closed the connection'));
      });
      void proxy(req, res, (error: unknown) => exchange.settle(error ?? new Error('not proxied')));
    });
}

export interface UpstreamProxies {
  /** Sends a request under an upstream's prefixes through its breaker; others go to `next`. */
  middleware: RequestHandler;
  breakers: Map<string, Breaker<[Request, Response], void>>;
  close(): void;
}

export function createUpstreamProxies(
  upstreams: Upstream[],
  { registry, settings }: { registry: BreakerRegistry; settings: BreakerSettings },
): UpstreamProxies {
  const agents: http.Agent[] = [];
  const breakers = new Map<string, Breaker<[Request, Response], void>>();
  for (const upstream of upstreams) {
    // Kept-alive connections per upstream; idle ones are dropped before Node's default 5 s
    // server keep-alive timeout, so the gateway rarely writes to a socket the service just closed.
    const agent = new http.Agent({ keepAlive: true, timeout: 4_000 });
    agents.push(agent);
    const breaker = createBreaker(
      upstream.name,
      proxiedExchange(proxyMiddlewareFor(upstream, agent)),
      {
        timeoutMs: upstream.timeoutMs,
        volumeThreshold: settings.volumeThreshold,
        errorThresholdPercentage: settings.errorThresholdPercentage,
        resetTimeoutMs: settings.resetTimeoutMs,
        registry,
      },
    );
    breakers.set(upstream.name, breaker);
  }

  const middleware: RequestHandler = async (req, res, next) => {
    const upstream = upstreamFor(upstreams, req.path);
    const breaker = upstream && breakers.get(upstream.name);
    if (!breaker) {
      next();
      return;
    }
    try {
      await breaker.fire(req, res);
    } catch (error) {
      if (error instanceof UpstreamAnsweredWithServerError || error instanceof ClientGone) return;
      throw error;
    }
  };

  return {
    middleware,
    breakers,
    close() {
      for (const agent of agents) agent.destroy();
    },
  };
}
