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
