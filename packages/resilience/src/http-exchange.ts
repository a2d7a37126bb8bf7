import http from 'node:http';
import https from 'node:https';

/** A whole answer: its status, its headers and its body as text. */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export interface HttpExchangeRequest {
  method: string;
  headers: http.OutgoingHttpHeaders;
  /** Sent with its Content-Length. */
  body?: string | undefined;
  /** Destroys the request when it aborts; the exchange then rejects with its reason. */
  signal: AbortSignal;
}

/**
 * Connections kept alive between calls, shared by every caller in the process. Node's own HTTP
 * client, not fetch: fetch (undici, its web streams and abort plumbing) cost about twice the CPU
 * per request on this project's machines (docs/performance.md).
 */
const keptAlive = {
  http: new http.Agent({ keepAlive: true }),
  https: new https.Agent({ keepAlive: true }),
};

/** One request and its whole answer; rejects on a transport failure or when `signal` aborts. */
export function exchange(url: URL, request: HttpExchangeRequest): Promise<HttpAnswer> {
  const { signal, body } = request;
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(reasonOf(signal));
      return;
    }
    const secure = url.protocol === 'https:';
    const outgoing = (secure ? https : http).request(
      url,
      {
        method: request.method,
        headers:
          body === undefined
            ? request.headers
            : { ...request.headers, 'content-length': Buffer.byteLength(body) },
        agent: secure ? keptAlive.https : keptAlive.http,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          signal.removeEventListener('abort', abort);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', fail);
        response.on('close', () => {
          if (!response.complete) fail(new Error('the answer was cut off'));
        });
      },
    );
    function abort(): void {
      outgoing.destroy(reasonOf(signal));
    }
    function fail(error: Error): void {
      signal.removeEventListener('abort', abort);
      reject(error);
    }
    signal.addEventListener('abort', abort, { once: true });
    outgoing.on('error', fail);
    outgoing.end(body);
  });
}

function reasonOf(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
