import { timestampSchema } from './common';
import { z } from './zod';

export const healthStatusSchema = z.enum(['up', 'down']).openapi('HealthStatus');

export const livenessSchema = z.object({ status: z.literal('up') }).openapi('Liveness');

export const dependencyCheckSchema = z
  .object({
    name: z.string().openapi({ example: 'postgres' }),
    status: healthStatusSchema,
    latencyMs: z.number().min(0).optional(),
    detail: z.string().optional().openapi({ description: 'Why a check is down; never a secret' }),
  })
  .openapi('DependencyCheck');

/** `status` is `up` only when every check is; a `down` readiness is served with HTTP 503. */
export const readinessSchema = z
  .object({
    status: healthStatusSchema,
    checks: z.array(dependencyCheckSchema),
  })
  .openapi('Readiness');

// opossum's three states, spelled as the circuit-breaker pattern names them.
export const breakerStateSchema = z.enum(['closed', 'open', 'half-open']).openapi('BreakerState');

export const breakerTransitionSchema = z
  .object({ to: breakerStateSchema, at: timestampSchema })
  .openapi('BreakerTransition');

export const upstreamHealthSchema = z
  .object({
    name: z.string().openapi({ example: 'catalog' }),
    status: healthStatusSchema,
    breaker: breakerStateSchema,
    transitions: z.array(breakerTransitionSchema).openapi({
      description: 'The breaker’s latest state changes in this gateway process, oldest first',
    }),
    latencyMs: z.number().min(0).optional(),
    detail: z.string().optional(),
    checks: z.array(dependencyCheckSchema).optional().openapi({
      description:
        'The upstream’s own readiness checks (its database, Kafka, Redis), when it answered',
    }),
  })
  .openapi('UpstreamHealth');

export const consumerLagSchema = z
  .object({
    groupId: z.string().openapi({ example: 'order-saga' }),
    topic: z.string().openapi({ example: 'inventory.events.v1' }),
    lag: z
      .number()
      .int()
      .min(0)
      .openapi({ description: 'Messages behind the log end, summed over partitions' }),
  })
  .openapi('ConsumerLag');

/** The order service's admission control of new checkouts (docs/decisions/0005). */
export const checkoutAdmissionSchema = z
  .object({
    inFlight: z
      .number()
      .int()
      .min(0)
      .openapi({ description: 'Orders whose saga has not ended, system-wide' }),
    limit: z
      .number()
      .int()
      .min(1)
      .openapi({ description: 'New checkouts are refused (503) while inFlight is at or above it' }),
    throughputPerSecond: z
      .number()
      .min(0)
      .openapi({ description: 'Orders that ended per second, measured over the last seconds' }),
    shed: z
      .number()
      .int()
      .min(0)
      .openapi({ description: 'Checkouts refused since this order instance started' }),
  })
  .openapi('CheckoutAdmission');

/** The gateway's own shedding of new checkouts while the order service reports full (0005). */
export const checkoutGateSchema = z
  .object({
    holdMs: z.number().int().min(0).openapi({
      description:
        'How long this gateway refuses checkouts itself after the order service refused one; 0: never',
    }),
    shed: z
      .number()
      .int()
      .min(0)
      .openapi({ description: 'Checkouts this gateway process refused itself since it started' }),
    shedding: z.boolean().openapi({ description: 'Refusing new checkouts right now' }),
    retryAfterSeconds: z.number().int().min(1).openapi({
      description:
        'The least Retry-After a checkout refused here is told now: it grows while refusals outnumber admissions',
    }),
  })
  .openapi('CheckoutGate');

/** The gateway's shedding of new work (browsing, carts) while the shop is behind (0005). */
export const newWorkGateSchema = z
  .object({
    targetDelayMs: z.number().int().min(0).openapi({
      description:
        "The gateway's event-loop delay it keeps under by refusing new work; 0: not a reason",
    }),
    delayMs: z
      .number()
      .int()
      .min(0)
      .openapi({ description: 'The event-loop delay over the last quarter second' }),
    targetLatencyMs: z.number().int().min(0).openapi({
      description:
        'The median time of new work let in that it keeps under by refusing some; 0: not a reason',
    }),
    latencyMs: z.number().int().min(0).openapi({
      description:
        'The median time new work took over the last quarter second (0 with too few answers)',
    }),
    shedShare: z.number().min(0).max(1).openapi({
      description:
        'The share of new work being refused now: 0 up to the targets, 1 at twice either',
    }),
    shed: z
      .number()
      .int()
      .min(0)
      .openapi({ description: 'Requests this gateway process refused this way since it started' }),
  })
  .openapi('NewWorkGate');

/** `degraded`: the gateway is up but at least one upstream is down or its breaker is not closed. */
export const systemHealthSchema = z
  .object({
    status: z.enum(['up', 'degraded', 'down']),
    checkedAt: timestampSchema,
    upstreams: z.array(upstreamHealthSchema),
    consumerLag: z
      .array(consumerLagSchema)
      .nullable()
      .openapi({ description: '`null` when Kafka could not be asked' }),
    checkoutAdmission: checkoutAdmissionSchema.nullable().openapi({
      description: '`null` when the order service could not be asked, or admits everything',
    }),
    checkoutGate: checkoutGateSchema,
    newWorkGate: newWorkGateSchema,
  })
  .openapi('SystemHealth');

export type HealthStatus = z.infer<typeof healthStatusSchema>;
export type Liveness = z.infer<typeof livenessSchema>;
export type DependencyCheck = z.infer<typeof dependencyCheckSchema>;
export type Readiness = z.infer<typeof readinessSchema>;
export type BreakerState = z.infer<typeof breakerStateSchema>;
export type BreakerTransition = z.infer<typeof breakerTransitionSchema>;
export type UpstreamHealth = z.infer<typeof upstreamHealthSchema>;
export type ConsumerLag = z.infer<typeof consumerLagSchema>;
export type CheckoutAdmission = z.infer<typeof checkoutAdmissionSchema>;
export type CheckoutGate = z.infer<typeof checkoutGateSchema>;
export type NewWorkGate = z.infer<typeof newWorkGateSchema>;
export type SystemHealth = z.infer<typeof systemHealthSchema>;
