import { deployedTarget, type ChaosTarget, type Experiment } from './chaos';
import type { ComposeSystem } from './compose';
import { run, waitUntil } from './processes';

export interface ComposeFaults {
  system: ComposeSystem;
}

/** The system under Docker Compose as the chaos experiments see it. */
export function composeTarget(system: ComposeSystem): ChaosTarget<ComposeFaults> {
  return deployedTarget({
    gatewayUrl: system.gatewayUrl,
    mailUrl: system.mailUrl,
    adminPassword: system.settings.DEMO_ADMIN_PASSWORD,
    faults: { system },
  });
}

const healthyBoundMs = 180_000;

async function containerOf(system: ComposeSystem, service: string): Promise<string> {
  const id = (await system.compose(['ps', '--quiet', service])).trim();
  if (!id) throw new Error(`no running container for ${service}`);
  return id;
}

async function inspect(container: string, format: string): Promise<string> {
  return (await run('docker', ['inspect', '--format', format, container])).stdout.trim();
}

/**
 * SIGKILL the service's process inside its container, from the host, the way the kernel's OOM
 * killer ends one: no shutdown hook runs, and Docker's restart policy (`unless-stopped`) starts
 * the container again, as a kubelet would. (`docker kill` would count as stopping it on purpose.)
 */
export function killContainer(service: string, role: string): Experiment<ComposeFaults> {
  return {
    name: `kill-${service}-container`,
    fault: () => `SIGKILL the ${service} container's process (${role}); Docker restarts it`,
    touchesSharedInfrastructure: false,
    async inject({ system, timeline }) {
      const container = await containerOf(system, service);
      const restartsBefore = Number(await inspect(container, '{{.RestartCount}}'));
      const pid = Number(await inspect(container, '{{.State.Pid}}'));
      const started = Date.now();
      process.kill(pid, 'SIGKILL');
      timeline.note(`SIGKILL ${service} (host pid ${pid})`);
      const back = await waitUntil(
        async () =>
          Number(await inspect(container, '{{.RestartCount}}')) > restartsBefore &&
          (await inspect(container, '{{.State.Health.Status}}')) === 'healthy',
        { timeoutMs: healthyBoundMs, intervalMs: 500 },
      );
      if (!back) throw new Error(`${service} not healthy again within ${healthyBoundMs / 1000} s`);
      timeline.note(
        `${service} restarted by Docker and healthy ${((Date.now() - started) / 1000).toFixed(1)} s after the kill`,
      );
    },
  };
}
