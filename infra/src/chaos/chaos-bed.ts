import { overridesFrom } from '../overrides';
import { processNames } from '../service-process';
import { startTestbed, type Testbed, type TestbedEnv } from '../testbed';
import type { NativeFaults } from './experiments/experiment';
import { startLatencyProxy, type LatencyProxy } from './latency-proxy';
import { unthrottledGateway } from './deployed-target';
import type { ChaosTarget } from './run-experiment';

export interface ChaosBed {
  bed: Testbed;
  catalogProxy: LatencyProxy;
  /** The bed as the experiments see it. */
  target: ChaosTarget<NativeFaults>;
  stop(): Promise<void>;
}

/**
 * Experiments and benchmarks meet the gateway as it is deployed: it sheds new work while the shop
 * is behind (gateway/src/overload/new-work-gate.ts), which the testbed turns off for the
 * functional tests. `SHED_NEW_WORK=false pnpm chaos flash-sale` (or `pnpm bench overload`) runs
 * without it, for a before and after; so may a caller's `extraEnv`.
 */
const sheddingAsDeployed = { SHED_NEW_WORK: process.env.SHED_NEW_WORK ?? 'true' };

/**
 * The whole system as supervised processes, with the catalog's callers (cart, order, gateway)
 * configured to reach it through a latency proxy. A process's settings can be given in the
 * caller's environment as for `npm start` (`SHOP_ORDER__ADMISSION_TARGET_LATENCY=500 pnpm bench
 * overload`); what the bed itself sets wins. The catalog's port is only known once the bed
 * runs, so the proxy starts first without a target (connections close at once) and learns it
 * after start-up; nothing calls the catalog before the experiments' load does.
 */
export async function startChaosBed(
  /** Added to the services' environments (the benchmark's profiler, for one). */
  extraEnv: TestbedEnv = {},
  /**
   * False for a benchmark that injects no latency: the proxy runs in this process, beside the
   * load generator, so every catalog call would also wait for the generator's event loop.
   */
  { latencyProxy = true }: { latencyProxy?: boolean } = {},
): Promise<ChaosBed> {
  const settings = await overridesFrom(process.env, processNames);
  const catalogProxy = await startLatencyProxy();
  const throughProxy: Record<string, string> = latencyProxy
    ? { CATALOG_URL: catalogProxy.url }
    : {};
  let bed: Testbed;
  try {
    const env: TestbedEnv = {
      cart: throughProxy,
      order: throughProxy,
      // The load comes from one loopback address: the limiter would measure itself, not the fault.
      gateway: { ...throughProxy, ...unthrottledGateway },
    };
    bed = await startTestbed(
      [...processNames],
      Object.fromEntries(
        processNames.map((name) => [
          name,
          {
            ...(name === 'gateway' ? sheddingAsDeployed : {}),
            ...settings[name],
            ...extraEnv[name],
            ...env[name],
          },
        ]),
      ),
    );
  } catch (error) {
    await catalogProxy.close();
    throw error;
  }
  catalogProxy.setTarget(bed.url('catalog'));
  const mail = bed.mail;
  return {
    bed,
    catalogProxy,
    target: {
      gatewayUrl: bed.url('gateway'),
      adminToken: () => bed.adminToken(),
      mail: mail && { messages: () => Promise.resolve(mail.messages()) },
      faults: { bed, catalogProxy },
    },
    async stop() {
      await bed.stop();
      await catalogProxy.close();
    },
  };
}
