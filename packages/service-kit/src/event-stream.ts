import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Request, Response } from 'express';

/**
 * Emitted on a server when it starts closing. A server's close waits for every open response, so
 * the long-lived ones (event streams) end on it instead of holding the shutdown to its deadline.
 */
const closingEvent = 'shop:closing';

export function announceClosing(server: Server): void {
  server.emit(closingEvent);
}

/**
 * Calls `listener` when the server that received `req` starts closing; the returned function
 * stops listening (call it when the response ends first).
 */
export function onServerClosing(req: Request, listener: () => void): () => void {
  const server = (req.socket as Socket & { server?: Server }).server;
  server?.on(closingEvent, listener);
  return () => server?.off(closingEvent, listener);
}

export interface EventStreamOptions {
  /** A comment line this often keeps proxies and idle-socket timers from closing the stream. */
  heartbeatMs?: number;
  /** The stream ends after this long; a client that still cares opens a new one. */
  maxMs?: number;
}

export interface EventStream {
  /** Writes one server-sent event with `data` as JSON. Nothing once the stream has ended. */
  send(event: string, data: unknown): void;
  end(): void;
  /** Aborted once the stream has ended: by `end()`, the client leaving, the server closing. */
  signal: AbortSignal;
}

/**
 * Answers `req` with a `text/event-stream` (the WHATWG server-sent events format) that stays open
 * until `end()`, the client goes away, the server closes, or `maxMs` passes.
 */
export function openEventStream(
  req: Request,
  res: Response,
  { heartbeatMs = 3_000, maxMs = 10 * 60_000 }: EventStreamOptions = {},
): EventStream {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  // A buffering reverse proxy (nginx) would hold the events back.
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();

  const controller = new AbortController();
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
  const lifetime = setTimeout(end, maxMs);
  function end(): void {
    if (controller.signal.aborted) return;
    controller.abort();
    clearInterval(heartbeat);
    clearTimeout(lifetime);
    stopListening();
    if (!res.writableEnded) res.end();
  }
  const stopListening = onServerClosing(req, end);
  res.once('close', end);

  return {
    send(event, data) {
      if (!controller.signal.aborted)
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end,
    signal: controller.signal,
  };
}
