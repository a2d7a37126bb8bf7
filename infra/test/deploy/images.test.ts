import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { repoRoot } from '../../src/paths';
import { folderOf, loadServices, serviceNames, type SystemService } from './support/system';

const exec = promisify(execFile);
let services: SystemService[];

interface Instruction {
  keyword: string;
  args: string;
}

/** A Dockerfile as instructions (continuation lines joined, comments dropped). */
function instructionsOf(name: string): Instruction[] {
  const text = fs.readFileSync(path.join(folderOf(name), 'Dockerfile'), 'utf8');
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() && !line.trimStart().startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.trim().split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

function finalStage(name: string): Instruction[] {
  const instructions = instructionsOf(name);
  const lastFrom = instructions.map((instruction) => instruction.keyword).lastIndexOf('FROM');
  return instructions.slice(lastFrom);
}

const rootManifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  packageManager: string;
};

beforeAll(async () => {
  services = await loadServices();
});

describe('the service images', () => {
  it('when the repository is listed, then the gateway and every service have a Dockerfile', () => {
    const missing = serviceNames().filter(
      (name) => !fs.existsSync(path.join(folderOf(name), 'Dockerfile')),
    );

    expect(missing).toEqual([]);
  });

  it('when an image is built, then it starts from an official Node 20 image pinned to a patch version, in several stages', () => {
    for (const name of serviceNames()) {
      const instructions = instructionsOf(name);
      const nodeImage = instructions.find(
        (instruction) =>
          instruction.keyword === 'ARG' && instruction.args.startsWith('NODE_IMAGE='),
      );
      const stages = instructions.filter((instruction) => instruction.keyword === 'FROM');

      expect(nodeImage?.args).toMatch(
        /^NODE_IMAGE=node:20\.\d+\.\d+-(bookworm-slim|alpine\d*\.?\d*)$/,
      );
      expect(stages.length).toBeGreaterThanOrEqual(2);
      expect(finalStage(name)[0]!.args).toBe('${NODE_IMAGE}');
    }
  });

  it("when dependencies are installed, then they are the service's production ones, with the workspace's pnpm", () => {
    const pnpmVersion = rootManifest.packageManager.replace(/^pnpm@/, '');
    for (const service of services) {
      const packageName = (
        JSON.parse(fs.readFileSync(path.join(service.folder, 'package.json'), 'utf8')) as {
          name: string;
        }
      ).name;
      const runs = instructionsOf(service.name)
        .filter((instruction) => instruction.keyword === 'RUN')
        .map((instruction) => instruction.args);

      expect(runs).toContain(`pnpm --filter ${packageName} deploy --prod --legacy --offline /out`);
      expect(runs).toContainEqual(expect.stringContaining(`pnpm@${pnpmVersion}`));
    }
  });

  it('when the container runs, then it is a numeric non-root user, listening on all interfaces on its default port', () => {
    for (const service of services) {
      const stage = finalStage(service.name);
      const user = stage.filter((instruction) => instruction.keyword === 'USER').at(-1)?.args;
      const env = stage
        .filter((instruction) => instruction.keyword === 'ENV')
        .map((instruction) => instruction.args)
        .join(' ');
      const exposed = stage.find((instruction) => instruction.keyword === 'EXPOSE')?.args;

      expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
      expect(env).toContain('HOST=0.0.0.0');
      expect(env).toContain(`PORT=${service.defaultPort}`);
      expect(env).toContain('NODE_ENV=production');
      expect(exposed).toBe(String(service.defaultPort));
    }
  });

  it('when Docker checks the container, then it fetches /health/live with node (no curl in the image)', () => {
    for (const name of serviceNames()) {
      const healthcheck = finalStage(name).find(
        (instruction) => instruction.keyword === 'HEALTHCHECK',
      );

      expect(healthcheck?.args).toMatch(/CMD \["node", "-e", ".*\/health\/live.*"\]$/);
    }
  });

  it('when the container starts, then node runs src/main.ts through the pinned tsx loader it copied', () => {
    for (const name of serviceNames()) {
      const stage = finalStage(name);
      const command = JSON.parse(
        stage.find((instruction) => instruction.keyword === 'CMD')!.args,
      ) as string[];
      const loader = command[command.indexOf('--import') + 1]!;

      expect(command).toEqual(['node', '--import', loader, 'src/main.ts']);
      expect(loader.startsWith('/opt/tsx/node_modules/tsx/')).toBe(true);
      expect(stage).toContainEqual({ keyword: 'COPY', args: '--from=tsx /opt/tsx /opt/tsx' });
    }
  });

  it("when tsx is pinned for the images, then it is the version the workspace's lockfile runs", () => {
    const lockfile = parse(fs.readFileSync(path.join(repoRoot, 'pnpm-lock.yaml'), 'utf8')) as {
      importers: Record<string, { devDependencies?: Record<string, { version: string }> }>;
    };
    const imageRuntime = path.join(repoRoot, 'infra', 'deploy', 'image');
    const pinned = (
      JSON.parse(fs.readFileSync(path.join(imageRuntime, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      }
    ).dependencies.tsx;
    const imageLock = parse(fs.readFileSync(path.join(imageRuntime, 'pnpm-lock.yaml'), 'utf8')) as {
      importers: Record<string, { dependencies: Record<string, { version: string }> }>;
    };

    expect(pinned).toBe(lockfile.importers['.']?.devDependencies?.tsx?.version);
    expect(imageLock.importers['.']?.dependencies.tsx?.version).toBe(pinned);
  });

  it('when the build context is sent, then modules, local data, tests and secrets stay out', () => {
    const ignored = fs
      .readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));

    expect(ignored).toEqual(
      expect.arrayContaining([
        '.git',
        '**/node_modules',
        '.data',
        '.cache',
        '**/test',
        '**/.env',
        'k8s',
      ]),
    );
  });

  it('when a service finds its migrations beside its sources, then the image keeps that layout', () => {
    // pnpm deploy copies the package folder as it is: src/ and migrations/ stay siblings, so
    // path.join(__dirname, '..', 'migrations') still resolves (the reason not to bundle).
    for (const service of services.filter((s) =>
      fs.existsSync(path.join(s.folder, 'migrations')),
    )) {
      const sources = fs.readFileSync(path.join(service.folder, 'src', 'service.ts'), 'utf8');

      expect(sources).toMatch(/path\.join\(__dirname, '\.\.', 'migrations'\)/);
    }
  });
});

describe('the deployment scripts', () => {
  const scripts = () =>
    [
      path.join(repoRoot, 'infra', 'deploy'),
      path.join(repoRoot, 'infra', 'deploy', 'compose'),
      path.join(repoRoot, 'k8s', 'base'),
    ].flatMap((folder) =>
      fs
        .readdirSync(folder)
        .filter((file) => file.endsWith('.sh'))
        .map((file) => path.join(folder, file)),
    );

  it('when a script is parsed by bash, then it is valid and in strict mode', async () => {
    for (const script of scripts()) {
      await exec('bash', ['-n', script]);
      const text = fs.readFileSync(script, 'utf8');
      if (!script.endsWith('lib.sh'))
        expect({ script, strict: text.includes('set -euo pipefail') }).toEqual({
          script,
          strict: true,
        });
    }
  });

  it('when shellcheck is installed, then every script passes it', async () => {
    const installed = await exec('shellcheck', ['--version']).then(
      () => true,
      () => false,
    );
    if (!installed) {
      console.warn('shellcheck is not installed (apt-get install shellcheck): scripts only parsed');
      return;
    }

    await expect(
      exec('shellcheck', ['-x', ...scripts()], { cwd: repoRoot }),
    ).resolves.toBeDefined();
  });
});
