import type { RequestHandler } from 'express';
import { currentContext, formatTraceparent } from '@shop/service-kit';

/**
 * Headers a client could send to pass itself off as someone else, to a service that trusted
 * them, or to fake its address. No service here trusts them (each verifies the token itself),
 * but the gateway is the edge: nothing that claims an identity gets past it unless it set it.
 */
const spoofablePrefixes = ['x-user-', 'x-auth-', 'x-authenticated-', 'x-forwarded-', 'x-remote-'];
const spoofableHeaders = new Set([
  'x-user',
  'x-userid',
  'x-role',
  'x-roles',
  'x-real-ip',
  'x-client-ip',
  'forwarded',
  'true-client-ip',
  'x-original-forwarded-for',
]);

function isSpoofable(name: string): boolean {
  return spoofableHeaders.has(name) || spoofablePrefixes.some((prefix) => name.startsWith(prefix));
}

/** The gateway's span, so a client can find its request in the logs of every service. */
export function echoTraceparent(): RequestHandler {
  return (_req, res, next) => {
    const context = currentContext();
    if (context) res.setHeader('traceparent', formatTraceparent(context.traceparent));
    next();
  };
}

/**
 * Prepares the request for the proxy: identity headers out; the request id and this hop's
 * traceparent in (the gateway's span is the parent of the service's); X-Forwarded-* set from what
 * the gateway itself saw, plus what trusted proxies in front of it said (TRUST_PROXY).
 */
export function forwardedHeaders(): RequestHandler {
  return (req, _res, next) => {
    const forwardedFor = [...req.ips, req.socket.remoteAddress].filter(Boolean).join(', ');
    const protocol = req.protocol;
    const host = req.headers.host;
    for (const name of Object.keys(req.headers)) {
      if (isSpoofable(name)) delete req.headers[name];
    }
    if (forwardedFor) req.headers['x-forwarded-for'] = forwardedFor;
    req.headers['x-forwarded-proto'] = protocol;
    if (host) req.headers['x-forwarded-host'] = host;

    const context = currentContext();
    if (context) {
      req.headers['x-request-id'] = context.requestId;
      req.headers.traceparent = formatTraceparent(context.traceparent);
    }
    next();
  };
}
