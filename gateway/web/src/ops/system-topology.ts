import type { BreakerTransition, SystemHealth, UpstreamHealth } from '@shop/contracts';

export type NodeHealth = 'up' | 'down' | 'unknown';
export type Breaker = UpstreamHealth['breaker'];

export const services = [
  'identity',
  'catalog',
  'inventory',
  'cart',
  'order',
  'payment',
  'notification',
] as const;

export const infrastructure = [
  { name: 'postgres', label: 'PostgreSQL' },
  { name: 'redis', label: 'Redis' },
  { name: 'kafka', label: 'Kafka' },
] as const;

export type InfraName = (typeof infrastructure)[number]['name'];

/** Check names services may use for the same dependency. */
const infraAliases: Record<string, InfraName> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  database: 'postgres',
  db: 'postgres',
  redis: 'redis',
  kafka: 'kafka',
};

export function infraOf(checkName: string): InfraName | undefined {
  return infraAliases[checkName.toLowerCase()];
}

export function upstreamNamed(
  health: SystemHealth | undefined,
  name: string,
): UpstreamHealth | undefined {
  return health?.upstreams.find((upstream) => upstream.name === name);
}

/**
 * An infrastructure node is down when any service reports its check down, up when at least one
 * reports it and none down, unknown when no service reported it.
 */
export function infraHealth(health: SystemHealth | undefined, infra: InfraName): NodeHealth {
  let seen = false;
  for (const upstream of health?.upstreams ?? []) {
    for (const check of upstream.checks ?? []) {
      if (infraOf(check.name) !== infra) continue;
      if (check.status === 'down') return 'down';
      seen = true;
    }
  }
  if (seen) return 'up';
  // No service's readiness names Kafka, but the gateway reads the consumer lag from it.
  if (infra === 'kafka' && health) return health.consumerLag === null ? 'down' : 'up';
  return 'unknown';
}

/** Which services reported a check of this infrastructure, and how it went. */
export function infraReporters(
  health: SystemHealth | undefined,
  infra: InfraName,
): Array<{ service: string; status: 'up' | 'down'; detail?: string | undefined }> {
  const reporters: Array<{ service: string; status: 'up' | 'down'; detail?: string | undefined }> =
    [];
  for (const upstream of health?.upstreams ?? []) {
    for (const check of upstream.checks ?? []) {
      if (infraOf(check.name) === infra)
        reporters.push({ service: upstream.name, status: check.status, detail: check.detail });
    }
  }
  return reporters;
}

export interface TransitionEntry {
  upstream: string;
  /** undefined when the gateway no longer remembers the state before. */
  from: Breaker | undefined;
  to: Breaker;
  at: string;
}

// The gateway keeps this many transitions per breaker; a shorter list is the whole history.
const transitionsKept = 10;

function stateBefore(to: Breaker, completeHistory: boolean): Breaker | undefined {
  if (completeHistory) return 'closed'; // every breaker starts closed
  if (to === 'half-open') return 'open';
  if (to === 'closed') return 'half-open';
  return undefined; // open follows closed or half-open
}

/** Every upstream's breaker transitions, newest first, each with the state it left. */
export function transitionLog(health: SystemHealth | undefined): TransitionEntry[] {
  const entries: TransitionEntry[] = [];
  for (const upstream of health?.upstreams ?? []) {
    const transitions: BreakerTransition[] = upstream.transitions ?? [];
    transitions.forEach((transition, index) => {
      const before = transitions[index - 1];
      entries.push({
        upstream: upstream.name,
        from: before ? before.to : stateBefore(transition.to, transitions.length < transitionsKept),
        to: transition.to,
        at: transition.at,
      });
    });
  }
  return entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
