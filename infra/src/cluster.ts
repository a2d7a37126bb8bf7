import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataDir, repoRoot } from './paths';
import { readEnvFile } from './env-file';
import { CommandError, run } from './processes';

/**
 * The system on the single-node Kubernetes of this machine (infra/deploy/cluster), deployed as a
 * kind user deploys it: `cluster.sh up` (etcd, the control plane, containerd, kubelet,
 * kube-proxy, CoreDNS, local-path volumes), the images put on the node, `kubectl apply -k
 * k8s/overlays/kind`, every rollout waited for (`deploy.sh`).
 */
export interface ClusterSystem {
  /** The gateway's NodePort on the node's address. */
  gatewayUrl: string;
  /** Mailpit's REST API, at its Service's cluster IP (kube-proxy routes the host there too). */
  mailUrl: string;
  /** The generated credentials of the kind overlay (identity.env: the demo admin's password). */
  settings: Record<string, string>;
  /** `kubectl --namespace shop …` as the cluster's admin; resolves with stdout. */
  kubectl(args: string[]): Promise<string>;
  /** `cluster.sh down --purge`: every process, mount, iptables chain and device removed. */
  down(): Promise<void>;
  /** What of the cluster is still on the machine (processes, mounts, chains, the bridge). */
  leftovers(): Promise<string[]>;
}

const clusterDir = path.join(repoRoot, 'infra', 'deploy', 'cluster');
const clusterData = path.join(dataDir, 'cluster');
const kubernetesVersion = 'v1.34.4';
const machineCache =
  process.env.SHOP_MACHINE_CACHE ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'shop');
const kubectlBinary = path.join(machineCache, 'kubernetes', kubernetesVersion, 'bin', 'kubectl');
const nodeAddress = '10.244.0.1';
const bridge = 'shop0';

async function script(name: string, args: string[], log: (line: string) => void) {
  const started = Date.now();
  try {
    const { stdout, stderr } = await run('bash', [path.join(clusterDir, name), ...args]);
    for (const line of `${stdout}${stderr}`.trim().split('\n').filter(Boolean)) log(line);
  } finally {
    log(`${name} ${args.join(' ')} took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}

const kubectlArgs = () => [
  '--kubeconfig',
  path.join(clusterData, 'admin.kubeconfig'),
  '--namespace',
  'shop',
];

async function kubectl(args: string[]): Promise<string> {
  return (await run(kubectlBinary, [...kubectlArgs(), ...args])).stdout;
}

async function leftovers(): Promise<string[]> {
  const found: string[] = [];
  // pgrep exits 1 when nothing matches.
  const processes = await run('pgrep', ['-af', `${machineCache}/kubernetes|${clusterData}`]).catch(
    () => ({ stdout: '' }),
  );
  for (const line of processes.stdout.split('\n').filter(Boolean)) found.push(`process ${line}`);
  for (const line of fs.readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
    const mountPoint = line.split(' ')[1];
    if (mountPoint?.startsWith(clusterData) || mountPoint?.startsWith('/run/shop-containerd')) {
      found.push(`mount ${mountPoint}`);
    }
  }
  for (const table of ['filter', 'nat', 'mangle']) {
    const rules = await run('iptables-save', ['-t', table]);
    for (const chain of rules.stdout.matchAll(/^:((?:KUBE|CNI)-\S+)/gm)) {
      found.push(`iptables ${table} chain ${chain[1]}`);
    }
  }
  const link = await run('ip', ['link', 'show', bridge]).then(
    () => true,
    () => false,
  );
  if (link) found.push(`network device ${bridge}`);
  return found;
}

/**
 * What a failed deploy leaves to read before `down --purge` removes the cluster's folder: the
 * free disk (a full one stops etcd, then everything), which components still run, the pods and
 * the namespace's warnings, and the last lines of the control plane's logs.
 */
async function diagnosis(): Promise<string[]> {
  const output = (file: string, args: string[]) =>
    run(file, args).then(
      ({ stdout }) => stdout.trim(),
      // cluster.sh status exits 1 when a component is down: its output is the answer.
      (error: unknown) =>
        error instanceof CommandError ? error.output.trim() : `${file} failed: ${String(error)}`,
    );
  // A control plane that stopped answering fails the call instead of hanging it.
  const kubectlNow = [...kubectlArgs(), '--request-timeout=20s'];
  const sections = [
    ['free disk', await output('df', ['-h', repoRoot])],
    ['components', await output('bash', [path.join(clusterDir, 'cluster.sh'), 'status'])],
    ['pods', await output(kubectlBinary, [...kubectlNow, 'get', 'pods', '-o', 'wide'])],
    [
      'warnings',
      await output(kubectlBinary, [
        ...kubectlNow,
        'get',
        'events',
        '--field-selector',
        'type=Warning',
        '--sort-by',
        '.lastTimestamp',
      ]),
    ],
  ];
  for (const component of ['etcd', 'kube-apiserver', 'kubelet']) {
    const logFile = path.join(clusterData, `${component}.log`);
    sections.push([`${component}.log`, await output('tail', ['-n', '15', logFile])]);
  }
  return sections.flatMap(([title, text]) => [`--- ${title}`, ...(text ?? '').split('\n')]);
}

export async function deployToCluster(
  options: {
    /** Settings of deployments beyond the manifests', e.g. `{ gateway: { RATE_LIMIT_AUTH: '1000' } }`. */
    environment?: Record<string, Record<string, string>>;
    log: (line: string) => void;
  } = { log: () => undefined },
): Promise<ClusterSystem> {
  const { log } = options;
  const system: ClusterSystem = {
    gatewayUrl: `http://${nodeAddress}:30080`,
    mailUrl: '',
    settings: {},
    kubectl,
    down: () => script('cluster.sh', ['down', '--purge'], log),
    leftovers,
  };
  try {
    await script('../docker-engine.sh', ['up'], log);
    await script('cluster.sh', ['up'], log);
    await script('deploy.sh', [], log);
    for (const [deployment, environment] of Object.entries(options.environment ?? {})) {
      const settings = Object.entries(environment).map(([name, value]) => `${name}=${value}`);
      await kubectl(['set', 'env', `deployment/${deployment}`, ...settings]);
      await kubectl(['rollout', 'status', `deployment/${deployment}`, '--timeout=300s']);
    }
  } catch (error) {
    for (const line of await diagnosis()) log(line);
    throw error;
  }
  const mailIp = (
    await kubectl(['get', 'service', 'mailpit', '-o', 'jsonpath={.spec.clusterIP}'])
  ).trim();
  return {
    ...system,
    mailUrl: `http://${mailIp}:8025`,
    settings: readEnvFile(
      path.join(repoRoot, 'k8s', 'overlays', 'kind', 'secrets', 'identity.env'),
    ),
  };
}
