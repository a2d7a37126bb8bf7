// Generates the system's credentials with random values. They are never committed: each target
// folder has a .gitignore that keeps them out of git.
//
//   node infra/deploy/secrets.mjs compose <env file>   an env file for `docker compose --env-file`
//   node infra/deploy/secrets.mjs kind <folder>        the files k8s/overlays/kind's secretGenerator reads
//
// Existing files are left as they are: the database volumes were initialised with those passwords,
// and new ones would lock the services out.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The services that own a PostgreSQL database; each gets the role shop_<owner> (as natively). */
const databaseOwners = ['identity', 'catalog', 'inventory', 'order', 'payment', 'notification'];

/** Hex only, so a password can go into a URL or an env file without escaping. */
const password = () => randomBytes(18).toString('hex');

/** The private Ed25519 JWK identity signs with, shaped like @shop/auth's generateSigningKey(). */
function signingKey() {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  // RFC 7638 thumbprint: the required members of an OKP key, in lexicographic order.
  const thumbprint = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  const kid = createHash('sha256').update(thumbprint).digest('base64url');
  return { ...jwk, kid, alg: 'EdDSA', use: 'sig' };
}

function freshSecrets() {
  return {
    postgresPassword: password(),
    databasePasswords: Object.fromEntries(databaseOwners.map((owner) => [owner, password()])),
    redisPassword: password(),
    jwtPrivateJwk: JSON.stringify(signingKey()),
    demoCustomerPassword: password(),
    demoAdminPassword: password(),
  };
}

const envLines = (entries) =>
  `${Object.entries(entries)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;

const passwordVariable = (owner) => `${owner.toUpperCase()}_DB_PASSWORD`;

function composeEnv(secrets) {
  return envLines({
    POSTGRES_PASSWORD: secrets.postgresPassword,
    ...Object.fromEntries(
      databaseOwners.map((owner) => [passwordVariable(owner), secrets.databasePasswords[owner]]),
    ),
    REDIS_PASSWORD: secrets.redisPassword,
    DEMO_CUSTOMER_PASSWORD: secrets.demoCustomerPassword,
    DEMO_ADMIN_PASSWORD: secrets.demoAdminPassword,
    // Single quotes: Compose takes the JSON literally, with no interpolation.
    JWT_PRIVATE_JWK: `'${secrets.jwtPrivateJwk}'`,
  });
}

/** Host names are the in-cluster Services of k8s/base. */
function kindFiles(secrets) {
  const databaseUrl = (owner) =>
    `postgres://shop_${owner}:${secrets.databasePasswords[owner]}@postgres:5432/${owner}`;
  const redisUrl = (database) => `redis://:${secrets.redisPassword}@redis:6379/${database}`;
  return {
    'postgres.env': envLines({
      POSTGRES_PASSWORD: secrets.postgresPassword,
      ...Object.fromEntries(
        databaseOwners.map((owner) => [passwordVariable(owner), secrets.databasePasswords[owner]]),
      ),
    }),
    'redis.env': envLines({ REDIS_PASSWORD: secrets.redisPassword }),
    ...Object.fromEntries(
      databaseOwners
        .filter((owner) => owner !== 'identity')
        .map((owner) => [`${owner}.env`, envLines({ DATABASE_URL: databaseUrl(owner) })]),
    ),
    'identity.env': envLines({
      DATABASE_URL: databaseUrl('identity'),
      DEMO_CUSTOMER_PASSWORD: secrets.demoCustomerPassword,
      DEMO_ADMIN_PASSWORD: secrets.demoAdminPassword,
    }),
    'jwt-private-jwk.json': secrets.jwtPrivateJwk,
    // The gateway and the cart share one Redis, each in its own database index.
    'gateway.env': envLines({ REDIS_URL: redisUrl(0) }),
    'cart.env': envLines({ REDIS_URL: redisUrl(1) }),
  };
}

function writeCompose(file) {
  if (fs.existsSync(file)) return console.log(`${file} exists; kept`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, composeEnv(freshSecrets()), { mode: 0o600 });
  console.log(`wrote ${file}`);
}

function writeKind(folder) {
  const files = kindFiles(freshSecrets());
  const present = Object.keys(files).filter((name) => fs.existsSync(path.join(folder, name)));
  if (present.length === Object.keys(files).length) return console.log(`${folder} complete; kept`);
  if (present.length > 0) {
    throw new Error(`${folder} holds only some secrets (${present.join(', ')}): remove them first`);
  }
  fs.mkdirSync(folder, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(folder, name), content, { mode: 0o600 });
  }
  console.log(`wrote ${Object.keys(files).length} files to ${folder}`);
}

const [target, where] = process.argv.slice(2);
if (target === 'compose' && where) writeCompose(where);
else if (target === 'kind' && where) writeKind(where);
else {
  console.error('usage: node infra/deploy/secrets.mjs compose <env file> | kind <folder>');
  process.exit(2);
}
