import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../src/paths';
import { POSTGRES_MAJOR, REDIS_MAJOR } from '../../src/prerequisites';
import { nodeFlags } from '../../src/service-process';
import {
  dockerfileEnv,
  dockerfilePath,
  folderOf,
  imagePortOf,
  loadServices,
  type SystemService,
} from './support/system';

const exec = promisify(execFile);
let services: SystemService[];

interface Instruction {
  keyword: string;
  args: string;
}

/** The one Dockerfile as instructions (continuation lines joined, comments dropped). */
function instructions(): Instruction[] {
  return fs
    .readFileSync(dockerfilePath, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() && !line.trimStart().startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.trim().split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

function finalStage(): Instruction[] {
  const all = instructions();
  const lastFrom = all.map((instruction) => instruction.keyword).lastIndexOf('FROM');
  return all.slice(lastFrom);
}

const rootManifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  packageManager: string;
};

function imagesEnv(): Record<string, string> {
  return Object.fromEntries(
    fs
      .readFileSync(path.join(repoRoot, 'infra', 'deploy', 'images.env'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.split('=') as [string, string]),
  );
}

beforeAll(async () => {
  services = await loadServices();
});

describe('the service images', () => {
  it('when an image is built, then it is for a folder with a composition root, on the port its config defaults to', () => {
    for (const service of services) {
      expect({ name: service.name, port: imagePortOf(service.name) }).toEqual({
        name: service.name,
        port: service.defaultPort,
      });
      expect(fs.existsSync(path.join(folderOf(service.name), 'src', 'main.ts'))).toBe(true);
    }
  });

  it('when an image is built, then it starts from the Node image of images.env, in several stages', () => {
    const nodeImage = instructions().find(
      (instruction) => instruction.keyword === 'ARG' && instruction.args.startsWith('NODE_IMAGE='),
    );
    const stages = instructions().filter((instruction) => instruction.keyword === 'FROM');

    expect(nodeImage?.args).toBe(`NODE_IMAGE=${imagesEnv().NODE_IMAGE}`);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(finalStage()[0]!.args).toBe('${NODE_IMAGE}');
  });

  it("when dependencies are installed, then it is with the workspace's pnpm, offline, from the lockfile", () => {
    const pnpmVersion = rootManifest.packageManager.replace(/^pnpm@/, '');
    const runs = instructions()
      .filter((instruction) => instruction.keyword === 'RUN')
      .map((instruction) => instruction.args);

    expect(runs).toContainEqual(expect.stringContaining(`pnpm@${pnpmVersion}`));
    expect(runs).toContainEqual(
      expect.stringContaining('pnpm install --offline --frozen-lockfile --prod'),
    );
  });

  it('when the container runs, then it is a numeric non-root user, listening on all interfaces on its port', () => {
    const stage = finalStage();
    const user = stage.filter((instruction) => instruction.keyword === 'USER').at(-1)?.args;
    const env = stage
      .filter((instruction) => instruction.keyword === 'ENV')
      .map((instruction) => instruction.args)
      .join(' ');

    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(env).toContain('HOST=0.0.0.0');
    expect(env).toContain('PORT=${PORT}');
    expect(env).toContain('NODE_ENV=production');
    expect(stage).toContainEqual({ keyword: 'EXPOSE', args: '${PORT}' });
    for (const service of services) {
      expect(dockerfileEnv(service.name).PORT).toBe(String(service.defaultPort));
    }
  });

  it('when Docker checks the container, then it fetches /health/live with node (no curl in the image)', () => {
    const healthcheck = finalStage().find((instruction) => instruction.keyword === 'HEALTHCHECK');

    expect(healthcheck?.args).toMatch(/CMD \["node", "-e", ".*\/health\/live.*"\]$/);
  });

  it('when the build CA is copied in, then only build stages see it', () => {
    expect(
      finalStage()
        .map((instruction) => instruction.args)
        .join('\n'),
    ).not.toContain('build-ca');
  });

  it('when the container starts, then node runs the compiled dist/main.js with the flags of the native runner (which runs its bundle), every package resolving to its dist/', () => {
    const command = JSON.parse(
      finalStage().find((instruction) => instruction.keyword === 'CMD')!.args,
    ) as string[];

    expect(command).toEqual(['node', ...nodeFlags, 'dist/main.js']);
    expect(nodeFlags).toContain('--conditions=shop-compiled');
    for (const name of fs.readdirSync(path.join(repoRoot, 'packages'))) {
      const manifest = JSON.parse(
        fs.readFileSync(path.join(repoRoot, 'packages', name, 'package.json'), 'utf8'),
      ) as { exports: Record<string, { 'shop-compiled': string; default: string }> };
      for (const [entry, target] of Object.entries(manifest.exports)) {
        expect({ name, entry, target }).toEqual({
          name,
          entry,
          target: {
            'shop-compiled': target.default.replace('./src/', './dist/').replace(/\.ts$/, '.js'),
            default: target.default,
          },
        });
      }
    }
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
    // dist/ takes src/'s place, file by file: migrations/ stays its sibling, so
    // path.join(__dirname, '..', 'migrations') still resolves (the reason not to bundle).
    for (const service of services.filter((s) =>
      fs.existsSync(path.join(s.folder, 'migrations')),
    )) {
      const sources = fs.readFileSync(path.join(service.folder, 'src', 'service.ts'), 'utf8');

      expect(sources).toMatch(/path\.join\(__dirname, '\.\.', 'migrations'\)/);
    }
  });
});

describe('one version of each piece everywhere', () => {
  const thirdParty = () => Object.values(imagesEnv()).filter((image) => !image.startsWith('node:'));

  /** Every `image:` a manifest or the compose file names that is not one of ours. */
  function imagesNamedIn(files: string[]): string[] {
    return files.flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/^\s*image: ['"]?([^\s'"]+)/gm)]
        .map((match) => match[1]!)
        .filter((image) => !image.startsWith('shop/')),
    );
  }

  it('when compose and Kubernetes name a third-party image, then it is the one of images.env', () => {
    const k8sBase = path.join(repoRoot, 'k8s', 'base');
    const manifests = fs
      .readdirSync(k8sBase)
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => path.join(k8sBase, file));
    const named = imagesNamedIn([path.join(repoRoot, 'docker-compose.yml'), ...manifests]);

    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((image) => !thirdParty().includes(image))).toEqual([]);
    expect(new Set(named)).toEqual(new Set(thirdParty()));
  });

  it('when the native runner starts PostgreSQL, Redis and Kafka, then they are the versions of the images', () => {
    const images = imagesEnv();
    const pom = fs.readFileSync(path.join(repoRoot, 'infra', 'kafka', 'pom.xml'), 'utf8');
    const kafkaVersion = /<kafka\.version>([^<]+)</.exec(pom)?.[1];

    expect(images.POSTGRES_IMAGE).toMatch(new RegExp(`^postgres:${POSTGRES_MAJOR}[.-]`));
    expect(images.REDIS_IMAGE).toMatch(new RegExp(`^redis:${REDIS_MAJOR}[.-]`));
    expect(images.KAFKA_IMAGE).toBe(`apache/kafka:${kafkaVersion}`);
    const standIn = fs.readFileSync(
      path.join(repoRoot, 'infra', 'deploy', 'offline', 'kafka', 'pom.xml'),
      'utf8',
    );
    expect(/<kafka\.version>([^<]+)</.exec(standIn)?.[1]).toBe(kafkaVersion);
  });
});

describe('the deployment scripts', () => {
  const scripts = () =>
    [
      path.join(repoRoot, 'infra', 'deploy'),
      path.join(repoRoot, 'infra', 'deploy', 'compose'),
      path.join(repoRoot, 'infra', 'deploy', 'cluster'),
      ...fs
        .readdirSync(path.join(repoRoot, 'infra', 'deploy', 'offline'))
        .map((name) => path.join(repoRoot, 'infra', 'deploy', 'offline', name)),
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
      // POSIX sh (the images' entrypoints, run by dash) has no pipefail; the postgres entrypoint
      // reads optional variables, as the official one does, so it goes without -u.
      const strictMode = text.startsWith('#!/bin/sh') ? /^set -eu?$/m : /^set -E?eu?o pipefail$/m;
      // A file without a shebang is sourced by the scripts (lib.sh, overlay.sh): their mode.
      if (text.startsWith('#!'))
        expect({ script, strict: strictMode.test(text) }).toEqual({
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
