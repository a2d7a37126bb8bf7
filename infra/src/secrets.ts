import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { databaseOwners, type DatabaseOwner } from './settings';

/**
 * Passwords of the local infrastructure: generated on first start, kept in the data folder
 * (mode 0600, never committed) so that data and credentials survive restarts together.
 */
export interface InfraSecrets {
  postgresAdminPassword: string;
  databasePasswords: Record<DatabaseOwner, string>;
  redisPassword: string;
}

const newPassword = () => randomBytes(18).toString('hex');

export function loadOrCreateSecrets(dataDir: string): InfraSecrets {
  const file = path.join(dataDir, 'secrets.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as InfraSecrets;
  const secrets: InfraSecrets = {
    postgresAdminPassword: newPassword(),
    databasePasswords: Object.fromEntries(
      databaseOwners.map((owner) => [owner, newPassword()]),
    ) as Record<DatabaseOwner, string>,
    redisPassword: newPassword(),
  };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
