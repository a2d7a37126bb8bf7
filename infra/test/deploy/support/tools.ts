import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { cacheDir, repoRoot } from '../../../src/paths';

const exec = promisify(execFile);

/**
 * The validators, fetched once into .cache/deploy-tools through package registries only (the Go
 * module proxy, PyPI), so a fresh machine with Go and Python gets the same ones as this one.
 */
const toolsDir = path.join(cacheDir, 'deploy-tools');
const kustomizeVersion = 'v5.5.0';
const kubernetesValidateVersion = '1.37.0';
/** The Kubernetes version of kind's node images that the manifests are validated against. */
export const kubernetesVersion = '1.33.0';

/** Runs a Go build with caches of its own, removed afterwards: only the binary is kept. */
async function withGoCaches<T>(build: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  const caches = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-go-'));
  try {
    return await build({
      ...process.env,
      GOPATH: caches,
      GOMODCACHE: path.join(caches, 'mod'),
      GOCACHE: path.join(caches, 'build'),
      GOFLAGS: '-modcacherw',
      GOTOOLCHAIN: 'local',
    });
  } finally {
    fs.rmSync(caches, { recursive: true, force: true });
  }
}

async function run(file: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}) {
  try {
    return await exec(file, args, { env: options.env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${file} ${args.join(' ')} failed:\n${failure.stderr || failure.message}`);
  }
}

/** Builds a tool once; a finished build is marked by its versioned file name. */
async function once(binary: string, build: (tmp: string) => Promise<void>): Promise<string> {
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  const tmp = `${binary}.${process.pid}.tmp`;
  await build(tmp);
  fs.renameSync(tmp, binary);
  return binary;
}

export function kustomize(): Promise<string> {
  return once(path.join(toolsDir, 'bin', `kustomize-${kustomizeVersion}`), async (tmp) => {
    const gobin = `${tmp}.d`;
    await withGoCaches((env) =>
      run('go', ['install', `sigs.k8s.io/kustomize/kustomize/v5@${kustomizeVersion}`], {
        env: { ...env, GOBIN: gobin },
      }),
    );
    fs.renameSync(path.join(gobin, 'kustomize'), tmp);
    fs.rmSync(gobin, { recursive: true, force: true });
  });
}

const composeCheckSource = path.join(__dirname, 'compose-check');

/** compose-go (the library Docker Compose loads files with), behind a 40-line main.go. */
export function composeCheck(): Promise<string> {
  const goSum = fs.readFileSync(path.join(composeCheckSource, 'go.sum'), 'utf8');
  const mainGo = fs.readFileSync(path.join(composeCheckSource, 'main.go'), 'utf8');
  const version = String(hash(goSum + mainGo));
  return once(path.join(toolsDir, 'bin', `compose-check-${version}`), async (tmp) => {
    await withGoCaches((env) =>
      exec('go', ['build', '-o', tmp, '.'], {
        cwd: composeCheckSource,
        env,
        maxBuffer: 16 * 1024 * 1024,
      }),
    );
  });
}

export function kubernetesValidate(): Promise<string> {
  const venv = path.join(toolsDir, `venv-kubernetes-validate-${kubernetesValidateVersion}`);
  return once(path.join(venv, 'ready'), async (marker) => {
    await run('python3', ['-m', 'venv', venv]);
    await run(path.join(venv, 'bin', 'pip'), [
      'install',
      '--quiet',
      '--disable-pip-version-check',
      `kubernetes-validate==${kubernetesValidateVersion}`,
    ]);
    fs.writeFileSync(marker, '');
  }).then(() => path.join(venv, 'bin', 'kubernetes-validate'));
}

function hash(text: string): number {
  let value = 0;
  for (const char of text) value = (value * 31 + char.charCodeAt(0)) >>> 0;
  return value;
}

export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
} & Record<string, unknown>;

export interface RenderedOverlay {
  file: string;
  manifests: Manifest[];
  /** The generated secret files the overlay was rendered with. */
  secretsDir: string;
}

/**
 * Renders k8s/overlays/kind from a copy of k8s/, with credentials generated the way
 * kind-deploy.sh generates them (infra/deploy/secrets.mjs), so the checkout's own secrets (if
 * any) are neither needed nor touched.
 */
export async function renderKindOverlay(): Promise<RenderedOverlay> {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-k8s-'));
  fs.cpSync(path.join(repoRoot, 'k8s'), copy, {
    recursive: true,
    filter: (source) => !source.includes(`${path.sep}secrets${path.sep}`),
  });
  const secretsDir = path.join(copy, 'overlays', 'kind', 'secrets');
  await run('node', [path.join(repoRoot, 'infra', 'deploy', 'secrets.mjs'), 'kind', secretsDir]);
  const { stdout } = await run(await kustomize(), ['build', path.join(copy, 'overlays', 'kind')]);
  const file = path.join(copy, 'rendered.yaml');
  fs.writeFileSync(file, stdout);
  const manifests = parseAllDocuments(stdout).map((document) => document.toJS() as Manifest);
  return { file, manifests, secretsDir };
}

/** Loads a Compose file as Docker Compose would, interpolated with the given env file. */
export async function loadCompose(envFile: string): Promise<ComposeProject> {
  const { stdout } = await run(await composeCheck(), [
    path.join(repoRoot, 'docker-compose.yml'),
    envFile,
  ]);
  return JSON.parse(stdout) as ComposeProject;
}

export async function loadComposeError(envFile: string): Promise<string> {
  try {
    await loadCompose(envFile);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string | null>;
  ports?: Array<{ target: number; published?: string; host_ip?: string }>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[] };
  read_only?: boolean;
  volumes?: Array<{ source?: string; target: string }>;
  entrypoint?: string[] | null;
}

export interface ComposeProject {
  services: Record<string, ComposeService>;
}

export async function validateManifests(file: string): Promise<string> {
  const { stdout, stderr } = await run(await kubernetesValidate(), [
    '--strict',
    '--quiet',
    '--kubernetes-version',
    kubernetesVersion,
    file,
  ]);
  return `${stdout}${stderr}`;
}

/** A generated compose env file (random credentials, a real signing key) in a scratch folder. */
export async function generatedComposeEnv(): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shop-compose-')), '.env');
  await run('node', [path.join(repoRoot, 'infra', 'deploy', 'secrets.mjs'), 'compose', file]);
  return file;
}
