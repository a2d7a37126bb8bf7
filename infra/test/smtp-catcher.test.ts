import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { startSmtpCatcher, type SmtpCatcher } from '../src/smtp-catcher';

function transportTo(catcher: SmtpCatcher) {
  return nodemailer.createTransport({
    host: catcher.host,
    port: catcher.port,
    secure: false,
    ignoreTLS: true,
  });
}

function mailTo(to: string, subject = `subject ${randomUUID()}`) {
  return {
    from: 'shop <no-reply@shop.test>',
    to,
    subject,
    text: 'Hello Ada,\nyour order is confirmed.',
    messageId: `<${randomUUID()}@shop.test>`,
  };
}

describe('SMTP catcher', () => {
  let catcher: SmtpCatcher;

  beforeEach(async () => {
    catcher = await startSmtpCatcher({ httpPort: 0 });
  });

  afterEach(async () => {
    await catcher.close();
  });

  test('when a message is sent over SMTP, then it is caught with envelope, subject, text and Message-ID', async () => {
    const mail = mailTo('ada@example.test');

    await transportTo(catcher).sendMail(mail);

    const caught = await catcher.waitForMessage((message) => message.subject === mail.subject);
    expect(caught).toMatchObject({
      from: 'no-reply@shop.test',
      to: ['ada@example.test'],
      messageId: mail.messageId,
    });
    expect(caught.text.trimEnd()).toBe('Hello Ada,\nyour order is confirmed.');
    expect(Date.parse(caught.receivedAt)).not.toBeNaN();
  });

  test('when a message arrives after waitForMessage was called, then the wait resolves with it', async () => {
    const mail = mailTo('grace@example.test');
    const waiting = catcher.waitForMessage((message) => message.to.includes('grace@example.test'));

    await transportTo(catcher).sendMail(mail);

    await expect(waiting).resolves.toMatchObject({ subject: mail.subject });
  });

  test('when no message matches in time, then waitForMessage rejects saying what was caught', async () => {
    await expect(catcher.waitForMessage(() => false, 50)).rejects.toThrow(/no matching message/);
  });

  test('when told to fail with 451, then deliveries are refused with 451 until it recovers', async () => {
    catcher.failWith(451);

    const refusal = transportTo(catcher).sendMail(mailTo('ada@example.test'));
    await expect(refusal).rejects.toMatchObject({ responseCode: 451 });

    catcher.failWith(null);
    const mail = mailTo('ada@example.test');
    await transportTo(catcher).sendMail(mail);
    expect(catcher.messages().map((message) => message.subject)).toEqual([mail.subject]);
    expect(catcher.refusedCount()).toBe(1);
  });

  test('when told to fail the next two deliveries, then the third is accepted', async () => {
    catcher.failNext(2, 421);
    const transport = transportTo(catcher);

    await expect(transport.sendMail(mailTo('a@example.test'))).rejects.toMatchObject({
      responseCode: 421,
    });
    await expect(transport.sendMail(mailTo('b@example.test'))).rejects.toMatchObject({
      responseCode: 421,
    });
    await transport.sendMail(mailTo('c@example.test'));

    expect(catcher.messages().map((message) => message.to)).toEqual([['c@example.test']]);
  });

  test('when the HTTP view is asked for /messages, then it lists the caught mail as JSON', async () => {
    const mail = mailTo('ada@example.test');
    await transportTo(catcher).sendMail(mail);

    const response = await fetch(`${catcher.httpUrl}/messages`);

    expect(response.status).toBe(200);
    const listed = (await response.json()) as Array<{ subject: string }>;
    expect(listed.map((message) => message.subject)).toEqual([mail.subject]);
  });
});

describe('SMTP catcher options', () => {
  test('when started with failNext, then the first delivery is refused and the next accepted', async () => {
    const catcher = await startSmtpCatcher({ failNext: { count: 1 } });
    try {
      const transport = transportTo(catcher);
      await expect(transport.sendMail(mailTo('a@example.test'))).rejects.toMatchObject({
        responseCode: 451,
      });
      await transport.sendMail(mailTo('b@example.test'));

      expect(catcher.messages()).toHaveLength(1);
      expect(catcher.httpUrl).toBeUndefined();
    } finally {
      await catcher.close();
    }
  });
});
