import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Angle brackets included; the same notification always gets the same one. */
  messageId: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  from: string;
}

/** A new connection per message: sends are rare, and a pooled socket would outlive a restart of the server. */
export function createSmtpMailer(settings: SmtpSettings): Mailer {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    // Well below the sender's lease on a claimed notification, so a hung server cannot make a
    // second sender pick the same notification while the first is still waiting.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      await transport.sendMail({
        from: settings.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
      });
    },
    close: () => transport.close(),
  };
}

/**
 * A 5xx reply is the server's final word (RFC 5321 §4.2.1): retrying cannot help. 4xx replies,
 * refused connections and timeouts are worth another try.
 */
export function isPermanentSmtpFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** `<id@domain>` with the From address's domain, so receivers can dedupe a resend on it. */
export function messageIdFor(notificationId: string, from: string): string {
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'shop.local';
  return `<${notificationId}@${domain}>`;
}
