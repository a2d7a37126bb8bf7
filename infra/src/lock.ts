import fs from 'node:fs';
import path from 'node:path';
import { isAlive, waitUntil } from './processes';

/**
 * A lock between concurrent `infra up` runs (two terminals, or jest's global setup beside the
 * test command): a directory created atomically, holding the owner's pid so a crashed owner's
 * lock is taken over rather than waited on forever.
 */
export async function withLock<T>(dir: string, action: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const ownerFile = path.join(dir, 'pid');
  const acquired = await waitUntil(
    () => {
      try {
        fs.mkdirSync(dir);
        fs.writeFileSync(ownerFile, String(process.pid));
        return true;
      } catch {
        const owner = Number(fs.existsSync(ownerFile) ? fs.readFileSync(ownerFile, 'utf8') : NaN);
        if (Number.isInteger(owner) && !isAlive(owner))
          fs.rmSync(dir, { recursive: true, force: true });
        return false;
      }
    },
    { timeoutMs: 10 * 60_000, intervalMs: 250 },
  );
  if (!acquired) throw new Error(`could not take the lock ${dir}`);
  try {
    return await action();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
