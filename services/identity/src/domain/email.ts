/** One account per address however it is typed: trimmed and lower-cased before any lookup. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
