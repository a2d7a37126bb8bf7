import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { allTopics } from '@shop/contracts';
import { repoRoot } from '../../src/paths';
import {
  callsOf,
  dockerfileEnv,
  loadServices,
  serviceNames,
  type SystemService,
} from './support/system';
import { renderKindOverlay, validateManifests, type Manifest } from './support/tools';

// The first run fetches kustomize (Go module proxy) and kubernetes-validate (PyPI) into .cache.
const firstRunTimeout = 600_000;

interface Container {
  name: string;
  image: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: Array<{
    name: string;
    value?: string;
    valueFrom?: {
      secretKeyRef?: { name: string; key: string };
      configMapKeyRef?: { name: string; key: string };
    };
  }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface PodSpec {
  containers: Container[];
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    seccompProfile?: { type: string };
  };
  volumes?: Array<{ name: string; emptyDir?: object; configMap?: { name: string } }>;
}
interface PeerRule {
  from?: Array<{ podSelector?: { matchLabels?: Record<string, string> } }>;
  to?: Array<{ podSelector?: { matchLabels?: Record<string, string> } }>;
  ports?: Array<{ port: number; protocol: string }>;
}

let manifests: Manifest[];
let renderedFile: string;
let services: SystemService[];

const ofKind = (kind: string) => manifests.filter((manifest) => manifest.kind === kind);
const named = (kind: string, name: string) => {
  const found = ofKind(kind).find((manifest) => manifest.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the rendered overlay`);
  return found;
};
const podSpecOf = (manifest: Manifest) =>
  (manifest as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
const containerOf = (name: string) => podSpecOf(named('Deployment', name)).containers[0]!;
const dataOf = (manifest: Manifest) =>
  (manifest as unknown as { data?: Record<string, string> }).data ?? {};

/** What the container's environment holds: the image's ENV, then envFrom, then env. */
function environmentOf(name: string): Record<string, string> {
  const container = containerOf(name);
  const env: Record<string, string> = { ...dockerfileEnv(name) };
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef)
      Object.assign(env, dataOf(named('ConfigMap', source.configMapRef.name)));
    if (source.secretRef) Object.assign(env, decoded(named('Secret', source.secretRef.name)));
  }
  for (const variable of container.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef;
    env[variable.name] = secret
      ? decoded(named('Secret', secret.name))[secret.key]!
      : (variable.value ?? '');
  }
  return env;
}

/** Only what the deployment sets, not the image. */
function deploymentVariables(name: string): string[] {
  const container = containerOf(name);
  const keys = new Set<string>((container.env ?? []).map((variable) => variable.name));
  for (const source of container.envFrom ?? []) {
    const manifest = source.configMapRef
      ? named('ConfigMap', source.configMapRef.name)
      : named('Secret', source.secretRef!.name);
    Object.keys(dataOf(manifest)).forEach((key) => keys.add(key));
  }
  return [...keys].sort();
}

function decoded(secret: Manifest): Record<string, string> {
  return Object.fromEntries(
    Object.entries(dataOf(secret)).map(([key, value]) => [
      key,
      Buffer.from(value, 'base64').toString('utf8'),
    ]),
  );
}

const appOf = (peer: { podSelector?: { matchLabels?: Record<string, string> } }) =>
  peer.podSelector?.matchLabels?.app ?? '<not a pod of the namespace>';

/** Every "app:port" a pod may reach (egress) or be reached from (ingress), over its policies. */
function allowed(app: string, direction: 'ingress' | 'egress'): string[] {
  const edges = new Set<string>();
  for (const policy of ofKind('NetworkPolicy')) {
    const spec = (policy as unknown as { spec: Record<string, unknown> }).spec as {
      podSelector: { matchLabels?: Record<string, string> };
      ingress?: PeerRule[];
      egress?: PeerRule[];
    };
    if (spec.podSelector.matchLabels?.app !== app) continue;
    for (const rule of spec[direction] ?? []) {
      const peers = direction === 'ingress' ? rule.from : rule.to;
      const names = peers === undefined ? ['anywhere'] : peers.map(appOf);
      const ports = (rule.ports ?? []).map((port) => port.port);
      for (const peer of names) {
        for (const port of ports) {
          edges.add(direction === 'ingress' ? `${peer}->${port}` : `${peer}:${port}`);
        }
      }
    }
  }
  return [...edges].sort();
}

beforeAll(async () => {
  [services, { manifests, file: renderedFile }] = await Promise.all([
    loadServices(),
    renderKindOverlay(),
  ]);
}, firstRunTimeout);

describe('the kind overlay, rendered by kustomize', () => {
  it(
    'when every object is validated against the Kubernetes API schemas (strict), then none is refused',
    async () => {
      const output = await validateManifests(renderedFile);

      expect(output).not.toMatch(/ERROR|WARN|failed/i);
    },
    firstRunTimeout,
  );

  it('when listing the Deployments, then the gateway and every service of the repository have one', () => {
    const deployments = ofKind('Deployment').map((deployment) => deployment.metadata.name);

    expect(deployments.filter((name) => name !== 'mailpit').sort()).toEqual(serviceNames().sort());
  });

  it('when every object is placed, then all of them are in the shop namespace', () => {
    const elsewhere = manifests.filter(
      (manifest) => manifest.kind !== 'Namespace' && manifest.metadata.namespace !== 'shop',
    );

    expect(elsewhere.map((manifest) => `${manifest.kind}/${manifest.metadata.name}`)).toEqual([]);
  });

  it('when a service is deployed, then its container and Service port are its default PORT and its probes the health endpoints', () => {
    for (const service of services) {
      const container = containerOf(service.name);
      const servicePorts = (
        named('Service', service.name) as unknown as {
          spec: { ports: Array<{ port: number; targetPort: string | number }> };
        }
      ).spec.ports;

      expect({ service: service.name, port: container.ports?.[0]?.containerPort }).toEqual({
        service: service.name,
        port: service.defaultPort,
      });
      expect(servicePorts).toEqual([expect.objectContaining({ port: service.defaultPort })]);
      expect(container.readinessProbe?.httpGet?.path).toBe('/health/ready');
      expect(container.livenessProbe?.httpGet?.path).toBe('/health/live');
      expect(container.ports?.[0]?.name).toBe(container.readinessProbe?.httpGet?.port);
    }
  });

  it('when a service is deployed, then it sets every variable its config requires and none its config does not know', () => {
    for (const service of services) {
      const set = deploymentVariables(service.name);

      expect({
        service: service.name,
        missing: service.required.filter((key) => !set.includes(key)),
      }).toEqual({ service: service.name, missing: [] });
      expect({
        service: service.name,
        unknown: set.filter((key) => !service.known.includes(key)),
      }).toEqual({ service: service.name, unknown: [] });
    }
  });

  it("when a service's environment is read by its own readConfig, then it starts (the generated secrets included)", () => {
    for (const service of services) {
      const read = () => service.readConfig(environmentOf(service.name));

      expect(read).not.toThrow();
      expect(read()).toMatchObject({
        HOST: '0.0.0.0',
        PORT: service.defaultPort,
        NODE_ENV: 'production',
      });
    }
  });

  it('when a URL names another component, then a Service of that name exists on that port', () => {
    const servicePorts = new Map(
      ofKind('Service').map((service) => [
        service.metadata.name,
        (service as unknown as { spec: { ports: Array<{ port: number }> } }).spec.ports.map(
          (port) => port.port,
        ),
      ]),
    );
    for (const service of services) {
      const env = environmentOf(service.name);
      for (const [key, value] of Object.entries(env)) {
        if (!/_URL$/.test(key) || key === 'PUBLIC_URL') continue;
        const url = new URL(value);
        const port = Number(url.port);

        const reachable = servicePorts.get(url.hostname)?.includes(port) ?? false;

        expect({ key, service: service.name, target: url.host, reachable }).toEqual({
          key,
          service: service.name,
          target: url.host,
          reachable: true,
        });
      }
    }
  });

  it('when a Secret or ConfigMap key is referenced, then the rendered output has it', () => {
    const missing: string[] = [];
    const pods = [...ofKind('Deployment'), ...ofKind('StatefulSet'), ...ofKind('Job')];
    for (const pod of pods) {
      const spec = podSpecOf(pod);
      for (const container of spec.containers) {
        for (const source of container.envFrom ?? []) {
          const [kind, name] = source.configMapRef
            ? ['ConfigMap', source.configMapRef.name]
            : ['Secret', source.secretRef!.name];
          if (!ofKind(kind).some((manifest) => manifest.metadata.name === name)) {
            missing.push(`${pod.metadata.name}: ${kind} ${name}`);
          }
        }
        for (const variable of container.env ?? []) {
          const reference = variable.valueFrom?.secretKeyRef ?? variable.valueFrom?.configMapKeyRef;
          if (!reference) continue;
          const kind = variable.valueFrom?.secretKeyRef ? 'Secret' : 'ConfigMap';
          const target = ofKind(kind).find((manifest) => manifest.metadata.name === reference.name);
          if (!target || !(reference.key in dataOf(target))) {
            missing.push(`${pod.metadata.name}: ${kind} ${reference.name} key ${reference.key}`);
          }
        }
      }
      for (const volume of spec.volumes ?? []) {
        const name = volume.configMap?.name;
        if (name && !ofKind('ConfigMap').some((manifest) => manifest.metadata.name === name)) {
          missing.push(`${pod.metadata.name}: ConfigMap ${name} (volume)`);
        }
      }
    }

    expect(missing).toEqual([]);
  });

  it('when a service pod runs, then it is non-root, read-only, without capabilities, with requests and limits', () => {
    for (const name of serviceNames()) {
      const pod = podSpecOf(named('Deployment', name));
      const container = pod.containers[0]!;

      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(container.volumeMounts).toContainEqual(expect.objectContaining({ mountPath: '/tmp' }));
      expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
    }
  });

  it('when a pod of the stores runs, then it is non-root and without capabilities too', () => {
    for (const manifest of [
      ...ofKind('StatefulSet'),
      ...ofKind('Job'),
      named('Deployment', 'mailpit'),
    ]) {
      const pod = podSpecOf(manifest);

      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.resources?.limits).toBeDefined();
      }
    }
  });

  it('when the stores are deployed, then PostgreSQL, Redis and Kafka are StatefulSets with volumes, and the services have budgets and autoscalers', () => {
    for (const store of ['postgres', 'redis', 'kafka']) {
      const statefulSet = named('StatefulSet', store) as unknown as {
        spec: { volumeClaimTemplates?: unknown[] };
      };
      expect(statefulSet.spec.volumeClaimTemplates).toHaveLength(1);
      named('PodDisruptionBudget', store);
    }
    for (const name of serviceNames()) {
      named('PodDisruptionBudget', name);
      const autoscaler = named('HorizontalPodAutoscaler', name) as unknown as {
        spec: { scaleTargetRef: { kind: string; name: string } };
      };
      expect(autoscaler.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name });
    }
  });

  it('when the topics Job runs, then it creates exactly the contract topics', () => {
    const script = dataOf(
      ofKind('ConfigMap').find((m) => m.metadata.name.startsWith('kafka-create-topics'))!,
    )['create-topics.sh']!;
    const listed = /topics=\(([^)]*)\)/.exec(script)![1]!.split(/\s+/).filter(Boolean);

    expect(listed.sort()).toEqual([...allTopics()].sort());
  });

  it('when Compose runs the init scripts, then it mounts the ones Kubernetes runs, not copies', () => {
    const compose = fs.readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');

    for (const script of ['postgres-init.sh', 'create-topics.sh']) {
      expect(compose).toContain(`./k8s/base/${script}:`);
    }
    expect(fs.readdirSync(path.join(repoRoot, 'infra', 'deploy', 'compose'))).not.toContain(
      'create-topics.sh',
    );
  });
});

describe('the network policies', () => {
  it('when nothing else allows it, then every pod is denied ingress and egress, DNS excepted', () => {
    const policies = ofKind('NetworkPolicy').map(
      (policy) =>
        policy as unknown as { metadata: { name: string }; spec: Record<string, unknown> },
    );
    const denyAll = policies.find(
      (policy) =>
        JSON.stringify(policy.spec) ===
        JSON.stringify({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    );
    const dns = named('NetworkPolicy', 'allow-dns') as unknown as { spec: { egress: PeerRule[] } };

    expect(denyAll).toBeDefined();
    expect(dns.spec.egress.flatMap((rule) => rule.ports?.map((port) => port.port))).toEqual([
      53, 53,
    ]);
  });

  it('when a service calls out, then its policy allows exactly what its config names (stores, Kafka, services, JWKS)', () => {
    for (const service of services) {
      expect({ service: service.name, egress: allowed(service.name, 'egress') }).toEqual({
        service: service.name,
        egress: callsOf(service, services),
      });
    }
  });

  it('when a component is called, then its policy admits exactly its callers, and only the gateway from outside', () => {
    const components = [...services.map((s) => s.name), 'postgres', 'redis', 'kafka', 'mailpit'];
    for (const component of components) {
      const expected = services.flatMap((caller) =>
        callsOf(caller, services)
          .filter((call) => call.startsWith(`${component}:`))
          .map((call) => `${caller.name}->${call.split(':')[1]}`),
      );
      if (component === 'kafka') expected.push('kafka-topics->9092');
      if (component === 'gateway') expected.push('anywhere->8080');

      expect({ component, ingress: allowed(component, 'ingress') }).toEqual({
        component,
        ingress: expected.sort(),
      });
    }
  });
});

describe('the kind cluster', () => {
  it("when the cluster maps its ports, then the host's 8080 reaches the gateway's NodePort", () => {
    const cluster = parse(
      fs.readFileSync(path.join(repoRoot, 'k8s', 'kind', 'cluster.yaml'), 'utf8'),
    ) as {
      nodes: Array<{ extraPortMappings?: Array<{ containerPort: number; hostPort: number }> }>;
    };
    const gateway = named('Service', 'gateway') as unknown as {
      spec: { type: string; ports: Array<{ nodePort?: number }> };
    };

    expect(gateway.spec.type).toBe('NodePort');
    expect(cluster.nodes[0]?.extraPortMappings).toContainEqual(
      expect.objectContaining({ containerPort: gateway.spec.ports[0]?.nodePort, hostPort: 8080 }),
    );
  });

  it('when the generated secrets are in the overlay folder, then git ignores them', () => {
    const ignore = fs.readFileSync(
      path.join(repoRoot, 'k8s', 'overlays', 'kind', 'secrets', '.gitignore'),
      'utf8',
    );

    expect(ignore.split('\n')).toEqual(expect.arrayContaining(['*', '!.gitignore']));
  });
});
