import type { IncomingHttpHeaders } from 'node:http';
import { exchange } from '@shop/resilience';

/** One request a simulated user made through the gateway, and what came back. */
export interface Exchange {
  /** When the answer (or the failure) came: a second's figures are the exchanges it finished. */
  at: number;
  operation: string;
  /** The HTTP status, or 0 when no answer came at all (refused, reset, client timeout). */
  status: number;
  ms: number;
  /** The Retry-After the answer carried, in seconds, if any. */
  retryAfterSeconds?: number;
  /** A problem's `detail`, for answers of 400 and above that carried one. */
  detail?: string;
}

/** Everything the users saw, in arrival order: what the probe turns into per-second figures. */
export class ExchangeLog {
  private readonly exchanges: Exchange[] = [];

  record(exchange: Exchange): void {
    this.exchanges.push(exchange);
  }

  between(from: number, to: number): Exchange[] {
    return this.exchanges.filter((exchange) => exchange.at >= from && exchange.at < to);
  }

  all(): readonly Exchange[] {
    return this.exchanges;
  }
}

export interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** 5xx, 429 and no answer at all are what a user experiences as "the shop is broken". */
export const isFailure = (status: number) => status === 0 || status === 429 || status >= 500;

export interface GatewayClient {
  request(
    operation: string,
    method: string,
    path: string,
    options?: RequestOptions,
  ): Promise<Answer>;
}

function headersOf(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      headers.append(name, one);
    }
  }
  return headers;
}

/**
 * A client of the gateway that never throws for a transport failure (it answers status 0),
 * so callers treat "no answer" like any other answer, and that records every exchange when a
 * log is given. The client timeout sits above the gateway's upstream timeout (5 s): a 504 from
 * the gateway is what we want to see, not our own impatience.
 */
export function gatewayClient(baseUrl: string, log?: ExchangeLog): GatewayClient {
  return {
    async request(operation, method, path, options = {}) {
      const started = Date.now();
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      let answer: Answer;
      try {
        // Connections kept alive between requests, as a browser keeps them, on Node's own HTTP
        // client: the load generator shares the cores with the system it measures.
        const response = await exchange(new URL(`${baseUrl}${path}`), {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
        answer = {
          status: response.status,
          body: parseJson(response.text),
          headers: headersOf(response.headers),
        };
      } catch {
        answer = { status: 0, body: undefined, headers: new Headers() };
      }
      const finished = Date.now();
      const retryAfter = answer.headers.get('retry-after');
      const detail = (answer.body as { detail?: unknown } | undefined)?.detail;
      log?.record({
        at: finished,
        operation,
        status: answer.status,
        ms: finished - started,
        ...(retryAfter === null ? {} : { retryAfterSeconds: Number(retryAfter) }),
        ...(answer.status >= 400 && typeof detail === 'string' ? { detail } : {}),
      });
      return answer;
    },
  };
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
