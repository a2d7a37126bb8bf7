import { chaosExperimentsSchema, chaosRunSchema, startChaosRunBodySchema } from '../../chaos';
import {
  deadLetterCountsSchema,
  deadLetterListSchema,
  deadLetterPositionParamsSchema,
  deadLetterSchema,
  deadLetterTopicParamsSchema,
} from '../../dead-letters';
import { livenessSchema, readinessSchema, systemHealthSchema } from '../../operations';
import { z } from '../../zod';
import type { ApiRoute } from '../route';

const tag = 'Operations';

export const operationsRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/system/health',
    auth: 'none',
    operationId: 'getSystemHealth',
    summary: 'Every upstream’s health and circuit-breaker state, and Kafka consumer lag',
    tag,
    success: { status: 200, description: 'The system’s health', schema: systemHealthSchema },
  },
  {
    method: 'GET',
    path: '/api/system/dead-letters',
    auth: 'admin',
    operationId: 'countDeadLetters',
    summary: 'How many messages each dead-letter topic holds',
    tag,
    success: { status: 200, description: 'A count per topic', schema: deadLetterCountsSchema },
    problems: { 503: 'Kafka could not be asked' },
  },
  {
    method: 'GET',
    path: '/api/system/dead-letters/:topic',
    auth: 'admin',
    operationId: 'listDeadLetters',
    summary: 'The dead letters of one topic: the original message, why and where it failed',
    description: 'Read without joining a consumer group: looking never moves anyone’s offsets.',
    tag,
    params: deadLetterTopicParamsSchema,
    success: { status: 200, description: 'The topic’s dead letters', schema: deadLetterListSchema },
    problems: { 503: 'Kafka could not be asked' },
  },
  {
    method: 'POST',
    path: '/api/system/dead-letters/:topic/:partition/:offset/replay',
    auth: 'admin',
    operationId: 'replayDeadLetter',
    summary: 'Put a dead letter back on the topic it came from, byte for byte',
    description:
      'For after a fix of the consumer. Its inbox makes a replay of a message it already applied ' +
      'a no-op; a message that still fails is dead-lettered again.',
    tag,
    params: deadLetterPositionParamsSchema,
    success: {
      status: 202,
      description: 'Replayed; the letter as it was',
      schema: deadLetterSchema,
    },
    problems: { 404: 'No dead letter at that position', 503: 'Kafka could not be asked' },
  },
  {
    method: 'GET',
    path: '/api/system/chaos/experiments',
    auth: 'admin',
    operationId: 'listChaosExperiments',
    summary: 'The chaos experiments the console may run (native development mode only)',
    tag,
    success: { status: 200, description: 'The experiments', schema: chaosExperimentsSchema },
    problems: { 404: 'Chaos is not enabled here (only `SHOP_CHAOS=on npm start` enables it)' },
  },
  {
    method: 'POST',
    path: '/api/system/chaos/runs',
    auth: 'admin',
    operationId: 'startChaosRun',
    summary: 'Run one experiment against this system: load, the fault, recovery, the invariants',
    tag,
    body: startChaosRunBodySchema,
    success: {
      status: 202,
      description: 'Started; follow it at /api/system/chaos/runs/current',
      schema: chaosRunSchema,
    },
    problems: {
      404: 'Chaos is not enabled here, or no experiment has that name',
      409: 'An experiment is already running',
    },
  },
  {
    method: 'GET',
    path: '/api/system/chaos/runs/current',
    auth: 'admin',
    operationId: 'getCurrentChaosRun',
    summary: 'The latest run: its timeline so far and, once ended, the invariants’ verdicts',
    tag,
    success: { status: 200, description: 'The run', schema: chaosRunSchema },
    problems: { 404: 'Chaos is not enabled here, or nothing has run yet' },
  },
  {
    method: 'GET',
    path: '/health/live',
    auth: 'none',
    operationId: 'getLiveness',
    summary: 'The gateway process is up',
    tag,
    success: { status: 200, description: 'Alive', schema: livenessSchema },
  },
  {
    method: 'GET',
    path: '/health/ready',
    auth: 'none',
    operationId: 'getReadiness',
    summary: 'The gateway’s own dependencies are reachable',
    tag,
    success: { status: 200, description: 'Ready', schema: readinessSchema },
    otherResponses: [
      {
        status: 503,
        description: 'Not ready; the failing checks say why',
        schema: readinessSchema,
      },
    ],
  },
  {
    method: 'GET',
    path: '/metrics',
    auth: 'none',
    operationId: 'getMetrics',
    summary: 'Prometheus metrics',
    tag,
    success: {
      status: 200,
      description: 'Prometheus text exposition format',
      schema: z.string(),
      contentType: 'text/plain; version=0.0.4',
    },
  },
];
