import { deployedTarget, type ChaosTarget, type Experiment } from './chaos';
import type { ClusterSystem } from './cluster';
import { waitUntil } from './processes';

export interface ClusterFaults {
  system: ClusterSystem;
}

/** The system on Kubernetes as the chaos experiments see it. */
export function clusterTarget(system: ClusterSystem): ChaosTarget<ClusterFaults> {
  return deployedTarget({
    gatewayUrl: system.gatewayUrl,
    mailUrl: system.mailUrl,
    adminPassword: system.settings.DEMO_ADMIN_PASSWORD,
    faults: { system },
  });
}

const availableBoundMs = 180_000;

interface DeploymentStatus {
  spec: { replicas: number };
  status: { updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number };
}

async function fullyAvailable(system: ClusterSystem, deployment: string): Promise<boolean> {
  const { spec, status } = JSON.parse(
    await system.kubectl(['get', `deployment/${deployment}`, '-o', 'json']),
  ) as DeploymentStatus;
  return (
    (status.readyReplicas ?? 0) >= spec.replicas && (status.availableReplicas ?? 0) >= spec.replicas
  );
}

/**
 * `kubectl delete pod --grace-period=0 --force` of one pod of the service (or every pod), as an
 * operator or a node failure would: the pod's process gets no time to finish what it does, the
 * ReplicaSet starts a new one, and the other replica (if any) carries on meanwhile.
 */
export function deletePods(
  service: string,
  role: string,
  which: 'one' | 'all' = 'one',
): Experiment<ClusterFaults> {
  return {
    name: `delete-${service}-${which === 'one' ? 'pod' : 'pods'}`,
    fault: () =>
      `kubectl delete ${which === 'one' ? 'one pod' : 'every pod'} of ${service} (${role}), no grace period; its ReplicaSet starts new ones`,
    touchesSharedInfrastructure: false,
    async inject({ system, timeline }) {
      const pods = (
        await system.kubectl([
          'get',
          'pods',
          '--selector',
          `app=${service}`,
          '-o',
          'jsonpath={.items[*].metadata.name}',
        ])
      )
        .split(' ')
        .filter(Boolean);
      if (pods.length === 0) throw new Error(`no pod of ${service}`);
      const victims = which === 'one' ? pods.slice(0, 1) : pods;
      const started = Date.now();
      await system.kubectl([
        'delete',
        'pod',
        ...victims,
        '--grace-period=0',
        '--force',
        '--wait=false',
      ]);
      timeline.note(
        `deleted ${victims.join(', ')} (${pods.length - victims.length} of ${service} left)`,
      );
      const back = await waitUntil(
        async () =>
          !(await system.kubectl(['get', 'pods', '-o', 'name'])).includes(victims[0]!) &&
          (await fullyAvailable(system, service)),
        { timeoutMs: availableBoundMs, intervalMs: 500 },
      );
      if (!back)
        throw new Error(`${service} not fully available within ${availableBoundMs / 1000} s`);
      timeline.note(
        `${service} fully available again ${((Date.now() - started) / 1000).toFixed(1)} s after the delete`,
      );
    },
  };
}
