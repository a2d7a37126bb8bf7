// SQLSTATE 23505 (https://www.postgresql.org/docs/current/errcodes-appendix.html): the unique
// constraint, not a check before the insert, decides a duplicate, so two concurrent registrations
// of one email cannot both succeed.
const uniqueViolation = '23505';

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const { code, constraint: actual } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  return code === uniqueViolation && actual === constraint;
}
