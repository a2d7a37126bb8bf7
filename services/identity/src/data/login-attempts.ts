import type { Pool } from '@shop/postgres';

export interface AttemptCount {
  /** Attempts in the current window, this one included. */
  attempts: number;
  /** Until the window ends. */
  remainingMs: number;
}

/**
 * Counts one login attempt for the email in one statement, starting a new window when the last
 * one has passed. Counting before the password is checked (and atomically, with ON CONFLICT …
 * DO UPDATE) means a burst of parallel guesses cannot all slip past the limit together.
 */
export async function countAttempt(
  pool: Pool,
  email: string,
  windowMs: number,
): Promise<AttemptCount> {
  const { rows } = await pool.query<{ attempts: number; remaining_ms: number }>(
    `INSERT INTO login_attempts AS a (email, attempts, window_started_at)
     VALUES ($1, 1, now())
     ON CONFLICT (email) DO UPDATE SET
       attempts = CASE WHEN a.window_started_at + $2::interval <= now() THEN 1
                       ELSE a.attempts + 1 END,
       window_started_at = CASE WHEN a.window_started_at + $2::interval <= now() THEN now()
                                ELSE a.window_started_at END
     RETURNING attempts,
       GREATEST(0, EXTRACT(EPOCH FROM a.window_started_at + $2::interval - now()) * 1000)::float8
         AS remaining_ms`,
    [email, `${windowMs} milliseconds`],
  );
  const row = rows[0]!;
  return { attempts: row.attempts, remainingMs: row.remaining_ms };
}

export async function clearAttempts(pool: Pool, email: string): Promise<void> {
  await pool.query('DELETE FROM login_attempts WHERE email = $1', [email]);
}
