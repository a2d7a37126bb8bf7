import { outgoingHeaders, parseTraceparent } from '../src';
import { closeTestApps, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from '@shop/testkit';

const incomingTraceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function startEchoApp(): Promise<TestApp> {
  return startTestApp((app, logger) => {
    // What an outgoing call made on behalf of this request would carry, read after an await.
    app.get('/outgoing', async (_req, res) => {
      await new Promise((resolve) => setImmediate(resolve));
      res.json(outgoingHeaders());
    });
    app.get('/log', async (_req, res) => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.info('looked the product up');
      res.json({ ok: true });
    });
  });
}

describe('request context', () => {
  let service: TestApp;
  beforeEach(async () => {
    service = await startEchoApp();
  });
  afterEach(closeTestApps);

  it('when a valid X-Request-Id arrives, then it is echoed and propagated', async () => {
    const response = await fetch(`${service.url}/outgoing`, {
      headers: { 'x-request-id': 'req_2024.abc-1' },
    });

    expect(response.headers.get('x-request-id')).toBe('req_2024.abc-1');
    expect(await response.json()).toMatchObject({ 'x-request-id': 'req_2024.abc-1' });
  });

  it.each([
    ['absent', undefined],
    ['with forbidden characters', 'id with spaces;drop'],
    ['longer than 200 characters', 'a'.repeat(201)],
  ])('when the X-Request-Id is %s, then a UUID is generated', async (_case, requestId) => {
    const headers: Record<string, string> = requestId ? { 'x-request-id': requestId } : {};

    const response = await fetch(`${service.url}/outgoing`, { headers });

    expect(response.headers.get('x-request-id')).toMatch(uuidPattern);
  });

  it('when the response is an error, then it still carries the request id', async () => {
    const response = await fetch(`${service.url}/missing`, { headers: { 'x-request-id': 'abc' } });

    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('abc');
    expect(await response.json()).toMatchObject({ requestId: 'abc' });
  });

  it('when a valid traceparent arrives, then the trace continues with a new span of ours', async () => {
    const response = await fetch(`${service.url}/outgoing`, {
      headers: { traceparent: incomingTraceparent },
    });

    const { traceparent } = (await response.json()) as { traceparent: string };
    const outgoing = parseTraceparent(traceparent)!;
    expect(outgoing.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(outgoing.spanId).not.toBe('00f067aa0ba902b7');
  });

  it('when no traceparent arrives, then a new trace starts', async () => {
    const first = (await (await fetch(`${service.url}/outgoing`)).json()) as {
      traceparent: string;
    };
    const second = (await (await fetch(`${service.url}/outgoing`)).json()) as {
      traceparent: string;
    };

    expect(parseTraceparent(first.traceparent)).toBeDefined();
    expect(parseTraceparent(first.traceparent)!.traceId).not.toBe(
      parseTraceparent(second.traceparent)!.traceId,
    );
  });

  it('when a request is logged, then its lines carry the request id and trace id', async () => {
    const response = await fetch(`${service.url}/log`, {
      headers: { 'x-request-id': 'logged-1', traceparent: incomingTraceparent },
    });
    await response.json();

    const routeLine = service.lines.find((line) => line.msg === 'looked the product up');
    const accessLine = await waitFor(
      () => service.lines.find((line) => line.msg === 'request completed'),
      {
        what: 'the access log line',
      },
    );
    for (const line of [routeLine, accessLine]) {
      expect(line).toMatchObject({
        requestId: 'logged-1',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        service: 'test-service',
      });
    }
  });

  it('when outside any request, then there is nothing to propagate', () => {
    expect(outgoingHeaders()).toEqual({});
  });
});
