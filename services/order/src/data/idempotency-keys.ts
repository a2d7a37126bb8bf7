import type { Tx } from '@shop/postgres';

export interface IdempotencyRecord {
  customerId: string;
  key: string;
  requestHash: string;
  orderId: string;
  responseStatus: number;
  responseBody: unknown;
  createdAt: Date;
}

const columns = `customer_id AS "customerId", idempotency_key AS "key",
  request_hash AS "requestHash", order_id AS "orderId", response_status AS "responseStatus",
  response_body AS "responseBody", created_at AS "createdAt"`;

export async function findIdempotencyRecord(
  tx: Tx,
  customerId: string,
  key: string,
): Promise<IdempotencyRecord | undefined> {
  const { rows } = await tx.query<IdempotencyRecord>(
    `SELECT ${columns} FROM idempotency_keys WHERE customer_id = $1 AND idempotency_key = $2`,
    [customerId, key],
  );
  return rows[0];
}

/**
 * Takes the key for this transaction. A concurrent transaction holding the same key makes this
 * insert wait until it commits (then DO NOTHING: false) or rolls back (then the key is ours):
 * Postgres' unique index decides the race (https://www.postgresql.org/docs/current/sql-insert.html#SQL-ON-CONFLICT).
 */
export async function claimIdempotencyKey(tx: Tx, record: IdempotencyRecord): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO idempotency_keys (customer_id, idempotency_key, request_hash, order_id,
       response_status, response_body, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (customer_id, idempotency_key) DO NOTHING`,
    [
      record.customerId,
      record.key,
      record.requestHash,
      record.orderId,
      record.responseStatus,
      JSON.stringify(record.responseBody),
      record.createdAt,
    ],
  );
  return rowCount === 1;
}

/** Forgets keys older than `before`; how many. */
export async function purgeIdempotencyKeys(tx: Tx, before: Date): Promise<number> {
  const { rowCount } = await tx.query('DELETE FROM idempotency_keys WHERE created_at < $1', [
    before,
  ]);
  return rowCount ?? 0;
}
