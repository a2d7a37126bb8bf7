import fs from 'node:fs';
import path from 'node:path';
import { dataDir, repoRoot } from './paths';
import { readEnvFile } from './env-file';
import { run } from './processes';

/**
 * The whole system under Docker Compose, driven the way the README's Docker section runs it: an
 * engine (installed and started when absent), the third-party images pulled or made locally,
 * every image built, credentials generated, `docker compose up --wait`.
 */
export interface ComposeSystem {
  project: string;
  gatewayUrl: string;
  /** Mailpit's web UI and REST API. */
  mailUrl: string;
  /** The credentials the system was started with (the compose env file). */
  settings: Record<string, string>;
  /** `docker compose` of this project, with its env file; resolves with stdout. */
  compose(args: string[]): Promise<string>;
  /** Every container, network and volume of the project still present. */
  leftovers(): Promise<string[]>;
  /** `docker compose down --volumes`: nothing of the project is left. */
  down(): Promise<void>;
}

export interface ComposeOptions {
  project: string;
  gatewayPort: number;
  mailPort: number;
  /** The image tag to build and run. */
  tag: string;
  /**
   * Settings of services beyond the compose file's, e.g. `{ gateway: { RATE_LIMIT_AUTH: '1000' } }`:
   * written to an override file given after docker-compose.yml, Compose's own way to change one.
   */
  environment?: Record<string, Record<string, string>>;
  log: (line: string) => void;
}

const deployDir = path.join(repoRoot, 'infra', 'deploy');

async function script(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  log: ComposeOptions['log'],
) {
  const started = Date.now();
  const { stdout, stderr } = await run('bash', [path.join(deployDir, name), ...args], { env });
  for (const line of `${stdout}${stderr}`.trim().split('\n').filter(Boolean)) log(line);
  log(`${name} ${args.join(' ')} took ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

export async function startComposeSystem(options: ComposeOptions): Promise<ComposeSystem> {
  const { project, log } = options;
  const env = {
    ...process.env,
    TAG: options.tag,
    SHOP_GATEWAY_PORT: String(options.gatewayPort),
    SHOP_MAIL_PORT: String(options.mailPort),
  };
  await script('docker-engine.sh', ['up'], env, log);
  await script('prepare-images.sh', [], env, log);
  await script('build-images.sh', [], env, log);

  fs.mkdirSync(dataDir, { recursive: true });
  const envFile = path.join(dataDir, `compose-${project}.env`);
  await run('node', [path.join(deployDir, 'secrets.mjs'), 'compose', envFile]);
  const files = ['--file', path.join(repoRoot, 'docker-compose.yml')];
  if (options.environment) {
    // JSON is YAML: Compose merges this file's environment into the services'.
    const overrideFile = path.join(dataDir, `compose-${project}.override.yml`);
    const services = Object.fromEntries(
      Object.entries(options.environment).map(([name, environment]) => [name, { environment }]),
    );
    fs.writeFileSync(overrideFile, JSON.stringify({ services }, null, 2));
    files.push('--file', overrideFile);
  }
  const compose = async (args: string[]) =>
    (
      await run(
        'docker',
        ['compose', '--project-name', project, ...files, '--env-file', envFile, ...args],
        { cwd: repoRoot, env },
      )
    ).stdout;
  const system: ComposeSystem = {
    project,
    gatewayUrl: `http://127.0.0.1:${options.gatewayPort}`,
    mailUrl: `http://127.0.0.1:${options.mailPort}`,
    settings: readEnvFile(envFile),
    compose,
    async leftovers() {
      const label = `label=com.docker.compose.project=${project}`;
      const list = async (kind: string[], name = '{{.Name}}') =>
        (await run('docker', [...kind, '--filter', label, '--format', name])).stdout
          .split('\n')
          .filter(Boolean);
      return [
        ...(await list(['ps', '--all'], '{{.Names}}')).map((name) => `container ${name}`),
        ...(await list(['network', 'ls'])).map((name) => `network ${name}`),
        ...(await list(['volume', 'ls'])).map((name) => `volume ${name}`),
      ];
    },
    async down() {
      await compose(['down', '--volumes', '--remove-orphans', '--timeout', '20']);
      fs.rmSync(envFile, { force: true });
      fs.rmSync(path.join(dataDir, `compose-${project}.override.yml`), { force: true });
    },
  };
  const started = Date.now();
  try {
    await compose(['up', '--detach', '--wait', '--no-build']);
  } catch (error) {
    log(await compose(['ps', '--all']).catch(() => 'docker compose ps failed'));
    log(await compose(['logs', '--tail', '40']).catch(() => 'docker compose logs failed'));
    await system.down().catch(() => undefined);
    throw error;
  }
  log(`compose: every container healthy ${((Date.now() - started) / 1000).toFixed(0)} s after up`);
  return system;
}
