// SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html): the database,
// not a check before the write, decides a duplicate or a dangling reference, so two concurrent
// requests cannot both pass a check and race.
const uniqueViolation = '23505';
const foreignKeyViolation = '23503';

interface DatabaseError {
  code?: unknown;
  constraint?: unknown;
}

function violates(error: unknown, code: string, constraint: string): boolean {
  const { code: actual, constraint: actualConstraint } = (error ?? {}) as DatabaseError;
  return actual === code && actualConstraint === constraint;
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return violates(error, uniqueViolation, constraint);
}

export function isForeignKeyViolation(error: unknown, constraint: string): boolean {
  return violates(error, foreignKeyViolation, constraint);
}
