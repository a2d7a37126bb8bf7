import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../src/paths';
import {
  callsOf,
  dockerfileEnv,
  imagePortOf,
  loadServices,
  serviceNames,
  type SystemService,
} from './support/system';
import {
  generatedComposeEnv,
  loadCompose,
  loadComposeError,
  type ComposeProject,
  type ComposeService,
} from './support/tools';

// The first run builds the compose-go loader through the Go module proxy into .cache.
const firstRunTimeout = 600_000;
const composeFile = path.join(repoRoot, 'docker-compose.yml');
const exampleEnv = path.join(repoRoot, 'infra', 'deploy', 'compose', '.env.example');

let services: SystemService[];
let project: ComposeProject;

const serviceOf = (name: string): ComposeService => {
  const found = project.services[name];
  if (!found) throw new Error(`no compose service ${name}`);
  return found;
};
const environmentOf = (name: string) =>
  Object.fromEntries(
    Object.entries(serviceOf(name).environment ?? {}).map(([key, value]) => [key, value ?? '']),
  );

/** The port a component listens on inside the compose network. */
function portOf(component: string): number | undefined {
  const infrastructure: Record<string, number> = {
    postgres: 5432,
    redis: 6379,
    kafka: 9092,
    mailpit: 1025,
  };
  return (
    infrastructure[component] ?? services.find((service) => service.name === component)?.defaultPort
  );
}

beforeAll(async () => {
  const envFile = await generatedComposeEnv();
  [services, project] = await Promise.all([loadServices(), loadCompose(envFile)]);
}, firstRunTimeout);

describe('docker-compose.yml, loaded by compose-go (the Compose specification schema)', () => {
  it(
    'when it is loaded with the documented example env file, then it is valid',
    async () => {
      const example = await loadCompose(exampleEnv);

      expect(Object.keys(example.services).sort()).toEqual(Object.keys(project.services).sort());
    },
    firstRunTimeout,
  );

  it(
    'when a credential is missing from the env file, then loading fails naming it',
    async () => {
      const withoutRedis = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shop-env-')), '.env');
      const example = fs.readFileSync(exampleEnv, 'utf8');
      fs.writeFileSync(withoutRedis, example.replace(/^REDIS_PASSWORD=.*$/m, ''));

      expect(await loadComposeError(withoutRedis)).toMatch(/REDIS_PASSWORD/);
    },
    firstRunTimeout,
  );

  it('when every variable the file interpolates is looked for, then the example env file documents it', () => {
    const interpolated = new Set(
      [...fs.readFileSync(composeFile, 'utf8').matchAll(/\$\{([A-Z_]+)/g)].map(
        (match) => match[1]!,
      ),
    );
    interpolated.delete('TAG');
    const documented = [...fs.readFileSync(exampleEnv, 'utf8').matchAll(/^([A-Z_]+)=/gm)].map(
      (match) => match[1]!,
    );

    expect([...interpolated].sort()).toEqual(documented.sort());
  });

  it('when the real env file is written, then git ignores it', () => {
    const ignore = fs.readFileSync(
      path.join(repoRoot, 'infra', 'deploy', 'compose', '.gitignore'),
      'utf8',
    );

    expect(ignore.split('\n')).toContain('.env');
  });

  it('when the services are listed, then the gateway and every service are built from the one Dockerfile for their folder and port', () => {
    for (const name of serviceNames()) {
      const service = serviceOf(name);
      const folder = name === 'gateway' ? 'gateway' : `services/${name}`;

      expect(service.build).toMatchObject({
        dockerfile: 'infra/deploy/image/Dockerfile',
        args: { SERVICE: folder, PORT: String(imagePortOf(name)) },
      });
      expect(service.image).toBe(`shop/${name}:dev`);
      expect(service.read_only).toBe(true);
    }
  });

  it('when a service is configured, then it sets every variable its config requires and none it does not know', () => {
    for (const service of services) {
      const set = Object.keys(environmentOf(service.name));

      expect({
        service: service.name,
        missing: service.required.filter((key) => !set.includes(key)),
      }).toEqual({
        service: service.name,
        missing: [],
      });
      expect({
        service: service.name,
        unknown: set.filter((key) => !service.known.includes(key)),
      }).toEqual({
        service: service.name,
        unknown: [],
      });
    }
  });

  it("when a service's environment is read by its own readConfig, then it starts", () => {
    for (const service of services) {
      const env = { ...dockerfileEnv(service.name), ...environmentOf(service.name) };

      expect(() => service.readConfig(env)).not.toThrow();
      expect(service.readConfig(env)).toMatchObject({ HOST: '0.0.0.0', PORT: service.defaultPort });
    }
  });

  it('when a variable names another component, then it is a compose service on the port that component listens on', () => {
    for (const service of services) {
      const env = environmentOf(service.name);
      const addresses = Object.entries(env).flatMap(([key, value]) => {
        if (key === 'PUBLIC_URL') return [];
        if (/_URL$/.test(key))
          return [{ key, host: new URL(value).hostname, port: Number(new URL(value).port) }];
        if (key === 'KAFKA_BROKERS')
          return value.split(',').map((broker) => ({
            key,
            host: broker.split(':')[0]!,
            port: Number(broker.split(':')[1]),
          }));
        if (key === 'SMTP_HOST') return [{ key, host: value, port: Number(env.SMTP_PORT) }];
        return [];
      });
      for (const address of addresses) {
        expect({
          ...address,
          service: service.name,
          exists: address.host in project.services,
        }).toEqual({
          ...address,
          service: service.name,
          exists: true,
          port: portOf(address.host),
        });
      }
    }
  });

  it('when a service starts, then it waits for what its config names: healthy stores, created topics', () => {
    for (const service of services) {
      const expected: Record<string, { condition: string }> = {};
      for (const call of callsOf(service, services)) {
        const target = call.split(':')[0]!;
        if (target === 'kafka')
          expected['kafka-topics'] = { condition: 'service_completed_successfully' };
        else if (['postgres', 'redis', 'mailpit'].includes(target))
          expected[target] = { condition: 'service_healthy' };
      }

      expect({
        service: service.name,
        dependsOn: serviceOf(service.name).depends_on,
      }).toMatchObject({
        service: service.name,
        dependsOn: expected,
      });
    }
  });

  it('when a container is waited for as healthy, then it has a health check (its own or its image’s)', () => {
    const imageHealthChecked = new Set(serviceNames());
    for (const [name, service] of Object.entries(project.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        if (condition !== 'service_healthy') continue;
        const hasOwn = (serviceOf(dependency).healthcheck?.test?.length ?? 0) > 0;

        expect({
          name,
          dependency,
          healthChecked: hasOwn || imageHealthChecked.has(dependency),
        }).toEqual({
          name,
          dependency,
          healthChecked: true,
        });
      }
    }
  });

  it('when ports are published, then only the gateway (8080) and Mailpit’s inbox (8025) are', () => {
    const published = Object.entries(project.services).flatMap(([name, service]) =>
      (service.ports ?? []).map((port) => `${name}:${port.published}->${port.target}`),
    );

    expect(published.sort()).toEqual(['gateway:8080->8080', 'mailpit:8025->8025']);
  });

  it('when Kafka and its topics are set up, then it is apache/kafka 3.9 in KRaft mode without auto-creation, and the init job mounts the topic script', () => {
    const kafka = serviceOf('kafka');
    const topics = serviceOf('kafka-topics');

    expect(kafka.image).toMatch(/^apache\/kafka:3\.9\.\d+$/);
    expect(environmentOf('kafka')).toMatchObject({
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_NUM_PARTITIONS: '3',
    });
    expect(topics.volumes).toContainEqual(
      expect.objectContaining({ target: topics.entrypoint?.[1] }),
    );
    const postgresMounts = serviceOf('postgres').volumes ?? [];
    expect(postgresMounts.some((v) => v.target.startsWith('/docker-entrypoint-initdb.d/'))).toBe(
      true,
    );
  });
});
