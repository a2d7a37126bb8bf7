import { randomBytes } from 'node:crypto';

/** `<prefix>-<time>-<random>`: a group, client or topic name no other run (or test file) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/**
 * A made-up word of 12 letters (48 random bits) that full-text search reads as one term: no
 * other product, run or test file names it, so a search for it finds only what a test gave it.
 * (Eight hex digits with every digit made a 'k' carry ~15 bits, mostly k's: two tests' words
 * were once the same in CI.)
 */
export function uniqueWord(): string {
  return [...randomBytes(6)]
    .flatMap((byte) => [byte >> 4, byte & 15])
    .map((nibble) => String.fromCharCode(106 + nibble)) // j … y
    .join('');
}
