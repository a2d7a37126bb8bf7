import type { Notification, NotificationPage } from '@shop/contracts';
import type { CaughtMessage } from '@shop/infra/smtp-catcher';
import request from 'supertest';
import {
  kafka,
  startNotification,
  sendRetries,
  type NotificationUnderTest,
} from './support/environment';
import { orderCancelled, orderConfirmed, userRegistered } from './support/messages';
import { waitFor } from '@shop/testkit';
import { msUntilNextDue } from '../src/data/notifications';

jest.setTimeout(60_000);

describe('notification service', () => {
  let service: NotificationUnderTest;

  beforeAll(async () => {
    service = await startNotification();
  });

  afterAll(async () => {
    await service?.close();
  });

  const mailTo = (email: string, subjectPart = '') =>
    service.catcher.waitForMessage(
      (message) => message.to.includes(email) && message.subject.includes(subjectPart),
      30_000,
    );
  const mailsTo = (email: string): CaughtMessage[] =>
    service.catcher.messages().filter((message) => message.to.includes(email));

  async function listFor(token: string, query = ''): Promise<NotificationPage> {
    const response = await request(service.url)
      .get(`/api/notifications${query}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    return response.body as NotificationPage;
  }

  async function registered() {
    const user = await service.newUser();
    await kafka.publish(userRegistered(user));
    await mailTo(user.email, 'Welcome');
    return user;
  }

  function rowOf(eventId: string) {
    return service.db
      .query<{ status: string; attempts: number; last_error: string | null }>(
        'SELECT status, attempts, last_error FROM notifications WHERE event_id = $1',
        [eventId],
      )
      .then(({ rows }) => rows[0]);
  }

  test('when a user registers, then a welcome email reaches them and is listed for them only', async () => {
    const user = await service.newUser();
    const stranger = await service.newUser();

    await kafka.publish(userRegistered(user));

    const mail = await mailTo(user.email);
    expect(mail.subject).toBe('Welcome to shop');
    expect(mail.text).toContain(`Hello ${user.name},`);
    expect(mail.from).toBe('no-reply@shop.test');
    const own = await waitFor(async () => {
      const page = await listFor(user.token);
      return page.total === 1 && page;
    });
    expect(own.items[0]).toMatchObject({
      kind: 'WELCOME',
      subject: 'Welcome to shop',
      channel: 'email',
      status: 'SENT',
    });
    expect(own.items[0]!.orderId).toBeUndefined();
    expect(mail.messageId).toBe(`<${own.items[0]!.id}@shop.test>`);
    expect((await listFor(stranger.token)).items).toEqual([]);
    await request(service.url).get('/api/notifications').expect(401);
  });

  test('when an order is confirmed, then the customer gets an email with the items and the total', async () => {
    const user = await registered();
    const confirmed = orderConfirmed(user.userId);

    await kafka.publish(confirmed);

    const mail = await mailTo(user.email, 'is confirmed');
    expect(mail.text).toContain(confirmed.payload.orderId);
    expect(mail.text).toContain('2 x Enamel mug (MUG-001)');
    expect(mail.text).toContain('Total: $25.00');
    const listed = await waitFor(async () =>
      (await listFor(user.token)).items.find((item) => item.kind === 'ORDER_CONFIRMED'),
    );
    expect(listed).toMatchObject({ orderId: confirmed.payload.orderId, status: 'SENT' });
  });

  test('when an order is cancelled, then the email gives the reason in words', async () => {
    const user = await registered();

    await kafka.publish(orderCancelled(user.userId, 'PAYMENT_DECLINED'));

    const mail = await mailTo(user.email, 'was cancelled');
    expect(mail.text).toContain('was cancelled because the payment was declined');
    expect(mail.text).not.toContain('PAYMENT_DECLINED');
  });

  test('when the same event is delivered twice, then one email is sent', async () => {
    const user = await registered();
    const confirmed = orderConfirmed(user.userId);
    // Same key, so the cancellation is consumed after both copies: once it is mailed, the
    // duplicate has been seen.
    const later = orderCancelled(user.userId, 'CUSTOMER_CANCELLED', confirmed.payload.orderId);

    await kafka.publish(confirmed, confirmed);
    await kafka.publish(later);

    await mailTo(user.email, 'is confirmed');
    await mailTo(user.email, 'was cancelled');
    expect(
      mailsTo(user.email).filter((mail) => mail.subject.includes('is confirmed')),
    ).toHaveLength(1);
    const { rows } = await service.db.query('SELECT id FROM notifications WHERE event_id = $1', [
      confirmed.id,
    ]);
    expect(rows).toHaveLength(1);
  });

  test('when an order event arrives before its user is known, then it waits and is sent once the user registers', async () => {
    const user = await service.newUser();
    const confirmed = orderConfirmed(user.userId);

    await kafka.publish(confirmed);
    await waitFor(async () => (await rowOf(confirmed.id))?.status === 'PENDING', {
      what: 'the notification recorded as PENDING',
    });
    expect((await listFor(user.token)).total).toBe(0);
    await kafka.publish(userRegistered(user));

    await mailTo(user.email, 'is confirmed');
    await waitFor(async () => (await rowOf(confirmed.id))?.status === 'SENT', {
      what: 'the notification marked SENT',
    });
  });

  test('when a customer has several notifications, then they are listed newest first, page by page', async () => {
    const user = await registered();
    await kafka.publish(orderConfirmed(user.userId));
    await mailTo(user.email, 'is confirmed');
    await kafka.publish(orderCancelled(user.userId, 'OUT_OF_STOCK'));
    await mailTo(user.email, 'was cancelled');

    const first = await waitFor(async () => {
      const page = await listFor(user.token, '?page=1&pageSize=2');
      return page.total === 3 && page;
    });
    const second = await listFor(user.token, '?page=2&pageSize=2');

    const all: Notification[] = [...first.items, ...second.items];
    expect(all.map((item) => item.kind)).toEqual(['ORDER_CANCELLED', 'ORDER_CONFIRMED', 'WELCOME']);
    expect(first).toMatchObject({ page: 1, pageSize: 2, total: 3 });
  });

  test('when nothing is pending, then the sender has nothing to wait for (it sleeps until nudged instead of polling)', async () => {
    const client = await service.db.connect();
    try {
      await client.query('BEGIN');
      await client.query("DELETE FROM notifications WHERE status = 'PENDING'");
      expect(await msUntilNextDue(client)).toBeUndefined();

      const user = await service.newUser();
      await client.query('INSERT INTO users (user_id, email, name) VALUES ($1, $2, $3)', [
        user.userId,
        user.email,
        user.name,
      ]);
      await client.query(
        `INSERT INTO notifications (id, event_id, kind, user_id, details, next_attempt_at)
         VALUES (gen_random_uuid(), gen_random_uuid(), 'WELCOME', $1, '{}', now() - interval '1 minute')`,
        [user.userId],
      );
      expect(await msUntilNextDue(client)).toBe(0);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  test('when the SMTP server fails for a while, then the email is retried and delivered exactly once', async () => {
    const user = await registered();
    const confirmed = orderConfirmed(user.userId);
    service.catcher.failWith(451);

    try {
      await kafka.publish(confirmed);
      await waitFor(
        async () => {
          const row = await rowOf(confirmed.id);
          return row !== undefined && row.attempts >= 2 && row.last_error !== null;
        },
        { intervalMs: 20, what: 'a refused attempt and a retry' },
      );
    } finally {
      service.catcher.failWith(null);
    }

    await mailTo(user.email, 'is confirmed');
    expect(
      mailsTo(user.email).filter((mail) => mail.subject.includes('is confirmed')),
    ).toHaveLength(1);
    await waitFor(async () => (await rowOf(confirmed.id))?.status === 'SENT');
    expect(service.catcher.refusedCount()).toBeGreaterThanOrEqual(1);
  });

  test('when the SMTP server keeps failing, then the notification is FAILED after the bound and the service carries on', async () => {
    const user = await registered();
    const confirmed = orderConfirmed(user.userId);
    service.catcher.failWith(451);

    let failed;
    try {
      await kafka.publish(confirmed);
      failed = await waitFor(
        async () => {
          const row = await rowOf(confirmed.id);
          return row?.status === 'FAILED' && row;
        },
        { what: 'the notification marked FAILED' },
      );
    } finally {
      service.catcher.failWith(null);
    }

    expect(failed.attempts).toBe(sendRetries + 1);
    expect(failed.last_error).toMatch(/451/);
    const listed = (await listFor(user.token)).items.find(
      (item) => item.kind === 'ORDER_CONFIRMED',
    );
    expect(listed).toMatchObject({ status: 'FAILED', orderId: confirmed.payload.orderId });
    await kafka.publish(orderCancelled(user.userId, 'TIMEOUT'));
    await mailTo(user.email, 'was cancelled');
  });

  test('when the SMTP server rejects a message permanently, then it is FAILED without retrying', async () => {
    const user = await registered();
    const cancelled = orderCancelled(user.userId, 'OUT_OF_STOCK');
    service.catcher.failWith(550);

    let failed;
    try {
      await kafka.publish(cancelled);
      failed = await waitFor(
        async () => {
          const row = await rowOf(cancelled.id);
          return row?.status === 'FAILED' && row;
        },
        { what: 'the notification marked FAILED' },
      );
    } finally {
      service.catcher.failWith(null);
    }

    expect(failed.attempts).toBe(1);
  });
});
