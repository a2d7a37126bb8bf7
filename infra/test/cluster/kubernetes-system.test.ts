import { orderSchema, systemHealthSchema, type SystemHealth } from '@shop/contracts';
import {
  defaultChaosOptions,
  formatReport,
  runExperiment,
  unthrottledGateway,
} from '../../src/chaos';
import { deployToCluster, type ClusterSystem } from '../../src/cluster';
import { clusterTarget, deletePods } from '../../src/cluster-chaos';
import { gatewayClient } from '../e2e/shopper';
import { mailpitClient } from '../../src/mailpit';
import { waitUntil } from '../../src/processes';
import { processNames } from '../../src/service-process';

/**
 * The Kubernetes path, for real: a single-node cluster of this machine (API server, scheduler,
 * controller manager, kubelet, containerd, kube-proxy, CoreDNS, local-path volumes), the system
 * deployed with `kubectl apply -k k8s/overlays/kind` as on kind, a customer's checkout through the
 * gateway's NodePort, pods deleted under load, and the cluster taken down leaving nothing behind.
 * Run by `npm test` after the containers stage (`shop test:cluster` alone).
 */
jest.setTimeout(300_000);

let system: ClusterSystem;
let shop: ReturnType<typeof gatewayClient>;
let downed = false;

// The gateway and every service: each a Deployment with an autoscaler.
const statelessServices = processNames;

beforeAll(async () => {
  system = await deployToCluster({
    // Every shopper of the chaos experiments reaches the gateway from the node's address: the
    // per-IP limits would measure themselves, not the fault (as natively and under Compose).
    environment: {
      gateway: unthrottledGateway,
    },
    log: (line) => console.log(line),
  });
  shop = gatewayClient({ url: () => system.gatewayUrl });
}, 60 * 60_000);

afterAll(async () => {
  if (system && !downed) await system.down();
}, 300_000);

test('when the overlay is applied, then every stateless service runs at least two ready replicas and the gateway reports each one up', async () => {
  const deployments = JSON.parse(await system.kubectl(['get', 'deployments', '-o', 'json'])) as {
    items: { metadata: { name: string }; status: { readyReplicas?: number } }[];
  };
  const ready = Object.fromEntries(
    deployments.items.map((item) => [item.metadata.name, item.status.readyReplicas ?? 0]),
  );
  // Two is each autoscaler's minimum; with metrics-server serving, one may already have added a
  // third for the CPU of start-up.
  for (const service of statelessServices) {
    const replicas = ready[service] ?? 0;
    expect({ service, replicas, atLeastTwo: replicas >= 2 }).toMatchObject({ atLeastTwo: true });
  }

  // Every pod starts at once; a service waits for its database and topics rather than exiting,
  // so a restart here means something else went wrong (read by a person, not asserted: a
  // liveness probe starved of CPU may restart one for a reason of its own).
  const pods = JSON.parse(await system.kubectl(['get', 'pods', '-o', 'json'])) as {
    items: {
      metadata: { name: string };
      status: { containerStatuses?: { restartCount: number }[] };
    }[];
  };
  const restarted = pods.items.flatMap(({ metadata, status }) => {
    const restarts = (status.containerStatuses ?? []).reduce((sum, c) => sum + c.restartCount, 0);
    return restarts > 0 ? [`${metadata.name} ×${restarts}`] : [];
  });
  console.log(`containers restarted during the deploy: ${restarted.join(', ') || 'none'}`);

  // Consumer lag is null ("Kafka cannot be asked") while the group coordinators load.
  let health: SystemHealth | undefined;
  await waitUntil(
    async () => {
      const answer = await shop.call('GET', '/api/system/health');
      health = systemHealthSchema.parse(await answer.json());
      return answer.status === 200 && health.consumerLag !== null;
    },
    { timeoutMs: 60_000, intervalMs: 1_000 },
  );
  if (!health) throw new Error('the gateway never answered /api/system/health');
  expect(health.status).toBe('up');
  expect(health.upstreams.map(({ name, status }) => [name, status]).sort()).toEqual(
    ['cart', 'catalog', 'identity', 'inventory', 'notification', 'order', 'payment'].map((name) => [
      name,
      'up',
    ]),
  );
  expect(health.consumerLag).not.toBeNull();
});

test('when a customer checks out through the NodePort, then the order is CONFIRMED, stock committed and the email caught', async () => {
  const admin = await clusterTarget(system).adminToken();
  const product = await shop.createProduct(admin, 5, 2_500);
  const customer = await shop.register('k8s');
  await shop.addToCart(customer, product.id, 2);

  const placed = await shop.placeOrder(customer, 'tok_visa');
  expect(placed.status).toBe(202);
  const order = orderSchema.parse(await placed.json());
  const settled = await shop.settled(customer, order.id);

  expect(settled.status).toBe('CONFIRMED');
  expect(await shop.stock(product.id)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
  const email = await mailpitClient(system.mailUrl).waitForMessage(
    (message) => message.to.includes(customer.email) && message.text.includes(order.id),
    60_000,
  );
  expect(email.subject).toMatch(/is confirmed/);
});

test("when metrics-server serves, then every HorizontalPodAutoscaler reads its pods' CPU", async () => {
  interface Autoscalers {
    items: {
      metadata: { name: string };
      status: { currentMetrics?: { resource?: { current?: { averageUtilization?: number } } }[] };
    }[];
  }
  let readings: Record<string, number | undefined> = {};
  // metrics-server needs two scrapes (15 s apart), then the controller reads every 15 s.
  await waitUntil(
    async () => {
      const autoscalers = JSON.parse(
        await system.kubectl(['get', 'hpa', '-o', 'json']),
      ) as Autoscalers;
      readings = Object.fromEntries(
        autoscalers.items.map(({ metadata, status }) => [
          metadata.name,
          status.currentMetrics?.[0]?.resource?.current?.averageUtilization,
        ]),
      );
      return Object.values(readings).every((value) => typeof value === 'number');
    },
    { timeoutMs: 180_000, intervalMs: 5_000 },
  );

  expect(Object.keys(readings).sort()).toEqual([...statelessServices].sort());
  for (const [name, utilization] of Object.entries(readings)) {
    expect([name, typeof utilization]).toEqual([name, 'number']);
  }
});

test.each([
  ['order', 'the saga orchestrator'],
  ['inventory', 'stock reservations'],
  ['payment', 'authorizations and refunds'],
])(
  'when a pod of %s (%s) is deleted under load, then no order is lost, no unit oversold, nobody charged twice and every confirmation is emailed',
  async (service, role) => {
    const report = await runExperiment(clusterTarget(system), deletePods(service, role), {
      ...defaultChaosOptions,
      // The ReplicaSet starts a new pod at once: there is no fault window to hold.
      faultMs: 0,
      shoppers: 6,
      warmupMs: 3_000,
      cooldownMs: 3_000,
      settleBoundMs: 150_000,
      recoveryBoundMs: 150_000,
      echo: (line) => console.log(line),
    });

    // The whole report goes to the log: CI's record of the recovery times.
    console.log(formatReport(report));
    const broken = report.verdicts.filter((verdict) => !verdict.holds);
    expect(report.outcome.ordersAcknowledged).toBeGreaterThan(0);
    expect(broken).toEqual([]);
  },
  600_000,
);

test('when the cluster is taken down, then no process, mount, iptables chain or network device of it is left', async () => {
  await system.down();
  downed = true;

  expect(await system.leftovers()).toEqual([]);
});
