import { mailpitClient } from '../mailpit';
import type { ChaosTarget } from './run-experiment';

/**
 * Gateway settings for a system that chaos experiments load: every shopper comes from one
 * address, so the per-IP and per-user limits would measure themselves, not the fault.
 */
export const unthrottledGateway = {
  RATE_LIMIT_PER_IP: '10000000',
  RATE_LIMIT_PER_USER: '10000000',
  RATE_LIMIT_AUTH: '10000000',
};

/** A deployed system (Compose, Kubernetes) as the experiments see it: its gateway, Mailpit, faults. */
export function deployedTarget<Faults>(system: {
  gatewayUrl: string;
  mailUrl: string;
  adminPassword: string | undefined;
  faults: Faults;
}): ChaosTarget<Faults> {
  return {
    gatewayUrl: system.gatewayUrl,
    async adminToken() {
      const answer = await fetch(`${system.gatewayUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@shop.test', password: system.adminPassword }),
      });
      if (answer.status !== 200) throw new Error(`admin login: ${answer.status}`);
      return ((await answer.json()) as { token: string }).token;
    },
    mail: mailpitClient(system.mailUrl),
    faults: system.faults,
  };
}
