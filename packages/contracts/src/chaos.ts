import { timestampSchema, uuidSchema } from './common';
import { z } from './zod';

/**
 * Chaos from the operations console: only where it was explicitly enabled (`SHOP_CHAOS=on
 * npm start`, the native development mode); everywhere else these routes answer 404.
 */
export const chaosExperimentSchema = z
  .object({
    name: z.string().openapi({ example: 'kill-order' }),
    fault: z.string().openapi({ description: 'The fault, in one line' }),
    touchesSharedInfrastructure: z
      .boolean()
      .openapi({ description: 'Stops infrastructure every process shares (the Kafka broker)' }),
  })
  .openapi('ChaosExperiment');

export const chaosExperimentsSchema = z
  .object({ items: z.array(chaosExperimentSchema) })
  .openapi('ChaosExperiments');

export const startChaosRunBodySchema = z
  .strictObject({
    experiment: z
      .string()
      .min(1)
      .max(50)
      .regex(/^[a-z0-9-]+$/, 'must be an experiment name like "kill-order"'),
  })
  .openapi('StartChaosRun');

export const chaosVerdictSchema = z
  .object({
    invariant: z.string(),
    holds: z.boolean(),
    figures: z.string(),
    violations: z.array(z.string()),
  })
  .openapi('ChaosVerdict');

export const chaosRunSchema = z
  .object({
    id: uuidSchema,
    experiment: z.string(),
    fault: z.string(),
    state: z.enum(['running', 'passed', 'failed', 'error']).openapi({
      description:
        'passed/failed: every invariant held, or one broke; error: the run itself failed',
    }),
    startedAt: timestampSchema,
    endedAt: timestampSchema.nullable(),
    hypothesis: z.array(z.string()),
    timeline: z.array(
      z.object({ seconds: z.number().min(0), event: z.string() }).openapi('ChaosTimelineEvent'),
    ),
    verdicts: z.array(chaosVerdictSchema).openapi({ description: 'Empty until the run has ended' }),
    error: z.string().optional(),
  })
  .openapi('ChaosRun');

export type ChaosExperiment = z.infer<typeof chaosExperimentSchema>;
export type ChaosExperiments = z.infer<typeof chaosExperimentsSchema>;
export type StartChaosRunBody = z.infer<typeof startChaosRunBodySchema>;
export type ChaosVerdict = z.infer<typeof chaosVerdictSchema>;
export type ChaosRun = z.infer<typeof chaosRunSchema>;
