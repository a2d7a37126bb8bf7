import { z } from 'zod';

/**
 * Loopback ports chosen away from the standard ones (5432, 6379, 9092) so that a system
 * PostgreSQL, Redis or Kafka on the same machine never collides with the project's own, and
 * below Linux's ephemeral range (32768–60999, /proc/sys/net/ipv4/ip_local_port_range): a port in
 * it can be taken at any moment by the local end of an outgoing connection, which made a
 * broker's start fail with "Address already in use" (seen once in a fresh-clone CI run).
 */
const settingsSchema = z.object({
  SHOP_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(25432),
  SHOP_REDIS_PORT: z.coerce.number().int().min(1024).max(65535).default(26379),
  SHOP_KAFKA_PORT: z.coerce.number().int().min(1024).max(65535).default(29092),
  SHOP_KAFKA_CONTROLLER_PORT: z.coerce.number().int().min(1024).max(65535).default(29093),
  SHOP_KAFKA_PARTITIONS: z.coerce.number().int().min(2).max(64).default(3),
  SHOP_KAFKA_HEAP: z
    .string()
    .regex(/^\d+[mg]$/)
    .default('512m'),
});

export interface InfraSettings {
  host: '127.0.0.1';
  postgresPort: number;
  redisPort: number;
  kafkaPort: number;
  kafkaControllerPort: number;
  kafkaPartitions: number;
  kafkaHeap: string;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): InfraSettings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new Error(`Invalid infrastructure settings: ${problems.join('; ')}`);
  }
  const s = parsed.data;
  return {
    host: '127.0.0.1',
    postgresPort: s.SHOP_PG_PORT,
    redisPort: s.SHOP_REDIS_PORT,
    kafkaPort: s.SHOP_KAFKA_PORT,
    kafkaControllerPort: s.SHOP_KAFKA_CONTROLLER_PORT,
    kafkaPartitions: s.SHOP_KAFKA_PARTITIONS,
    kafkaHeap: s.SHOP_KAFKA_HEAP,
  };
}

/** The services that own a PostgreSQL database (cart and the gateway use Redis). */
export const databaseOwners = [
  'identity',
  'catalog',
  'inventory',
  'order',
  'payment',
  'notification',
] as const;
export type DatabaseOwner = (typeof databaseOwners)[number];
