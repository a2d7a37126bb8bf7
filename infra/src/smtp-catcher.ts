import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/**
 * A real SMTP server that keeps every message it accepts in memory: the local stand-in for a mail
 * provider (Mailpit plays this part under Docker). Loopback only, so no AUTH and no TLS.
 */

export interface CaughtMessage {
  /** Envelope sender (MAIL FROM), not the From header. */
  from: string;
  /** Envelope recipients (RCPT TO). */
  to: string[];
  subject: string;
  text: string;
  /** The Message-ID header as sent, angle brackets included; receivers dedupe on it. */
  messageId: string | undefined;
  receivedAt: string;
}

export interface SmtpCatcherOptions {
  port?: number;
  host?: string;
  /** Refuse the first `count` deliveries with `code` (451 by default), then accept. */
  failNext?: { count: number; code?: number };
  /** Serve `GET /messages` as JSON on this port (0 = any free port); no HTTP view when absent. */
  httpPort?: number;
}

export interface SmtpCatcher {
  host: string;
  port: number;
  /** `http://host:port` of the JSON view, when one was asked for. */
  httpUrl: string | undefined;
  messages(): CaughtMessage[];
  /** Resolves with the first caught message (already caught or still to come) that matches. */
  waitForMessage(
    predicate: (message: CaughtMessage) => boolean,
    timeoutMs?: number,
  ): Promise<CaughtMessage>;
  /** Refuse every delivery with this SMTP reply code until called with null. */
  failWith(code: number | null): void;
  failNext(count: number, code?: number): void;
  /** How many deliveries were refused so far, to see that a sender really retried. */
  refusedCount(): number;
  close(): Promise<void>;
}

const defaultWaitMs = 10_000;

class SmtpReplyError extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

function refusal(code: number): SmtpReplyError {
  // 4xx asks the client to try again later, 5xx tells it to give up (RFC 5321 §4.2.1).
  const text =
    code >= 500 ? 'Requested action not taken (simulated)' : 'Try again later (simulated)';
  return new SmtpReplyError(code, text);
}

function addressOf(address: SMTPServerAddress | false): string {
  return address === false ? '' : address.address;
}

export async function startSmtpCatcher(options: SmtpCatcherOptions = {}): Promise<SmtpCatcher> {
  const host = options.host ?? '127.0.0.1';
  const caught: CaughtMessage[] = [];
  const arrivals = new EventEmitter();
  let persistentFailure: number | null = null;
  let pendingFailures = options.failNext
    ? { count: options.failNext.count, code: options.failNext.code ?? 451 }
    : { count: 0, code: 451 };
  let refused = 0;

  function failureNow(): number | null {
    if (persistentFailure !== null) return persistentFailure;
    if (pendingFailures.count > 0) {
      pendingFailures = { ...pendingFailures, count: pendingFailures.count - 1 };
      return pendingFailures.code;
    }
    return null;
  }

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    // close() waits this long for connected clients; a test's teardown should not.
    closeTimeout: 1_000,
    // Refused at MAIL FROM, before any data is sent, like a greylisting or overloaded server.
    onMailFrom(_address, _session, callback) {
      const code = failureNow();
      if (code === null) return callback();
      refused += 1;
      callback(refusal(code));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const message: CaughtMessage = {
            from: addressOf(session.envelope.mailFrom),
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            messageId: parsed.messageId,
            receivedAt: new Date().toISOString(),
          };
          caught.push(message);
          arrivals.emit('message', message);
          callback();
        })
        .catch((error: unknown) =>
          callback(error instanceof Error ? error : new Error(String(error))),
        );
    },
  });
  server.on('error', () => {
    // A client dropping its connection mid-session is reported here; it is not our failure.
  });
  const smtp = server.listen(options.port ?? 0, host);
  await once(smtp, 'listening');
  const port = (smtp.address() as AddressInfo).port;

  const view = options.httpPort === undefined ? undefined : await startView();

  async function startView(): Promise<http.Server> {
    const viewServer = http.createServer((req, res) => {
      if (req.method === 'GET' && (req.url === '/messages' || req.url === '/')) {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify([...caught].reverse(), null, 2));
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /messages\n');
    });
    viewServer.listen(options.httpPort, host);
    await once(viewServer, 'listening');
    return viewServer;
  }

  return {
    host,
    port,
    httpUrl: view ? `http://${host}:${(view.address() as AddressInfo).port}` : undefined,
    messages: () => [...caught],
    waitForMessage(predicate, timeoutMs = defaultWaitMs) {
      const already = caught.find(predicate);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const onMessage = (message: CaughtMessage) => {
          if (!predicate(message)) return;
          clearTimeout(timer);
          arrivals.off('message', onMessage);
          resolve(message);
        };
        const timer = setTimeout(() => {
          arrivals.off('message', onMessage);
          const seen = caught.map((message) => `${message.to.join(',')}: ${message.subject}`);
          reject(
            new Error(
              `no matching message within ${timeoutMs} ms; caught ${caught.length}: ${seen.join(' | ')}`,
            ),
          );
        }, timeoutMs);
        arrivals.on('message', onMessage);
      });
    },
    failWith(code) {
      persistentFailure = code;
    },
    failNext(count, code = 451) {
      pendingFailures = { count, code };
    },
    refusedCount: () => refused,
    async close() {
      arrivals.removeAllListeners();
      await Promise.all([
        new Promise<void>((resolve) => server.close(() => resolve())),
        view
          ? new Promise<void>((resolve) => {
              view.close(() => resolve());
              view.closeAllConnections();
            })
          : Promise.resolve(),
      ]);
    },
  };
}

// `tsx infra/src/smtp-catcher.ts`: the catcher the native runner starts for local runs.
if (require.main === module) {
  const smtpPort = Number(process.env.SHOP_SMTP_PORT ?? 28025);
  const viewPort = Number(process.env.SHOP_SMTP_VIEW_PORT ?? 28026);
  startSmtpCatcher({ port: smtpPort, httpPort: viewPort })
    .then((catcher) => {
      console.log(
        `smtp catcher on ${catcher.host}:${catcher.port}; caught mail at ${catcher.httpUrl}/messages`,
      );
      const stop = () => {
        void catcher.close().then(() => process.exit(0));
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
