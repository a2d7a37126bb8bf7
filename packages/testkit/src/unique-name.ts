import { randomBytes } from 'node:crypto';

/** `<prefix>-<time>-<random>`: a group, client or topic name no other run (or test file) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
