import type { Response } from 'express';

export interface Policy {
  /** The policy's name in the headers: `ip`, `user` or `auth`. */
  name: string;
  quota: number;
  windowMs: number;
}

/**
 * `RateLimit-Policy` and `RateLimit` per draft-ietf-httpapi-ratelimit-headers-10 (§3, §4):
 * each is a Structured Fields List (RFC 9651) of items named by the policy, with parameters
 * `q` (quota) and `w` (window, seconds) for the policy and `r` (remaining) and `t` (seconds until
 * the quota resets) for the current state, e.g. `RateLimit-Policy: "ip";q=100;w=60` and
 * `RateLimit: "ip";r=0;t=12`. https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/
 * Several policies apply to one request, so each limiter appends its item to the lists.
 */
export function appendRateLimitHeaders(
  res: Response,
  policy: Policy,
  state: { remaining: number; resetMs: number },
): void {
  const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));
  append(
    res,
    'RateLimit-Policy',
    `"${policy.name}";q=${policy.quota};w=${seconds(policy.windowMs)}`,
  );
  append(
    res,
    'RateLimit',
    `"${policy.name}";r=${Math.max(0, state.remaining)};t=${seconds(state.resetMs)}`,
  );
}

function append(res: Response, name: string, item: string): void {
  const existing = res.getHeader(name);
  res.setHeader(name, typeof existing === 'string' ? `${existing}, ${item}` : item);
}
