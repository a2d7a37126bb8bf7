import { Router } from 'express';
import { requireAuth, requireRole, type JwtVerifier } from '@shop/auth';
import { startChaosRunBodySchema } from '@shop/contracts';
import { AppError, parseBody, type ErrorCode } from '@shop/service-kit';

const notEnabled = () =>
  new AppError(
    'NOT_FOUND',
    'chaos is not enabled here: only the native development mode enables it (SHOP_CHAOS=on npm start)',
  );

const codeFor: Record<number, ErrorCode> = { 400: 'VALIDATION', 404: 'NOT_FOUND', 409: 'CONFLICT' };

/**
 * `/api/system/chaos/…` for admins: forwarded to the native runner's chaos control at
 * `chaosUrl` (infra/src/chaos/control-server.ts), or 404 where none was configured.
 */
export function chaosRoutes(chaosUrl: string | undefined, verifier: JwtVerifier): Router {
  const router = Router();
  router.use('/api/system/chaos', requireAuth(verifier), requireRole('admin'));

  async function forward(path: string, init: { method: 'GET' | 'POST'; body?: unknown }) {
    if (!chaosUrl) throw notEnabled();
    let response: Response;
    try {
      response = await fetch(new URL(path, chaosUrl), {
        method: init.method,
        ...(init.body === undefined
          ? {}
          : { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } }),
        signal: AbortSignal.timeout(5_000),
      });
    } catch (error) {
      throw new AppError('UPSTREAM_UNAVAILABLE', 'the chaos control is not answering', {
        retryAfterMs: 1_000,
        cause: error,
      });
    }
    const body = (await response.json()) as { detail?: string };
    if (!response.ok)
      throw new AppError(
        codeFor[response.status] ?? 'INTERNAL',
        body.detail ?? 'chaos control failed',
      );
    return { status: response.status, body };
  }

  router.get('/api/system/chaos/experiments', async (_req, res) => {
    const { status, body } = await forward('/experiments', { method: 'GET' });
    res.status(status).json(body);
  });
  router.post('/api/system/chaos/runs', async (req, res) => {
    if (!chaosUrl) throw notEnabled();
    const body = parseBody(startChaosRunBodySchema, req);
    const answer = await forward('/runs', { method: 'POST', body });
    res.status(answer.status).json(answer.body);
  });
  router.get('/api/system/chaos/runs/current', async (_req, res) => {
    const { status, body } = await forward('/runs/current', { method: 'GET' });
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).json(body);
  });
  return router;
}
