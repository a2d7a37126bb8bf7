import { waitUntil } from '../processes';
import { gatherEvidence, waitForQuiet, type MailView } from './evidence';
import { holdFor, type Experiment } from './experiments/experiment';
import { ExchangeLog, gatewayClient, isFailure } from './gateway-client';
import { checkInvariants } from './invariants';
import { overloadHypothesis, overloadVerdicts } from './overload';
import { startLoad } from './load';
import { startProbe } from './probe';
import { phaseFigures, type ExperimentReport } from './report';
import { stockProducts } from './shop-fixture';
import { Timeline } from './timeline';

export interface ChaosOptions {
  /** How long each fault is held. */
  faultMs: number;
  /** Load before the fault (at least until an order is in flight). */
  warmupMs: number;
  /** Load after the fault is restored, before checkouts stop. */
  cooldownMs: number;
  shoppers: number;
  maxOrdersPerShopper: number;
  declineShare: number;
  /** Every order must end within this of being placed. */
  settleBoundMs: number;
  /** How long the system may take to go quiet once the load stopped. */
  recoveryBoundMs: number;
  catalogLatencyMs: number;
  /**
   * What the system confirms per second at most, as `pnpm bench` measured it on this machine
   * (docs/performance.md): an open-load experiment's rates are shares of it.
   */
  capacityPerSecond: number;
  echo: (line: string) => void;
}

export const defaultChaosOptions: ChaosOptions = {
  faultMs: 20_000,
  warmupMs: 5_000,
  cooldownMs: 5_000,
  shoppers: 20,
  maxOrdersPerShopper: 20,
  declineShare: 0.2,
  settleBoundMs: 90_000,
  recoveryBoundMs: 120_000,
  catalogLatencyMs: 3_000,
  capacityPerSecond: 15,
  echo: (line) => console.log(line),
};

/** What an experiment runs against: the native testbed, or the system under Docker Compose. */
export interface ChaosTarget<Faults> {
  gatewayUrl: string;
  adminToken(): Promise<string>;
  /** Where the confirmation emails land; without it the email invariant is not checked. */
  mail: MailView | undefined;
  /** What the experiment's fault is injected through. */
  faults: Faults;
}

export function hypothesisOf(options: ChaosOptions): string[] {
  return [
    `every order placed reaches CONFIRMED or CANCELLED within ${options.settleBoundMs / 1000} s, and none is lost (each 202 is in its shopper's list; no saga left in flight)`,
    'no unit oversold: per product, initial stock − units of CONFIRMED orders = onHand, and reserved = 0',
    'no double charge: a CONFIRMED order has exactly one authorization for its total and no refund; a CANCELLED one keeps no money',
    'no lost notification: every CONFIRMED order has exactly one confirmation email',
  ];
}

/**
 * One experiment against a running chaos bed: load, fault mid-flight, restore, wait for the
 * system to go quiet, then check the invariants against what the services say.
 */
export async function runExperiment<Faults>(
  target: ChaosTarget<Faults>,
  experiment: Experiment<Faults>,
  options: ChaosOptions,
): Promise<ExperimentReport> {
  const timeline = new Timeline(options.echo);
  const fault = experiment.fault(options);
  const { openLoad } = experiment;
  const hypothesis = [...hypothesisOf(options), ...(openLoad ? overloadHypothesis(options) : [])];
  options.echo(`\nchaos: ${experiment.name} — ${fault}\nsteady-state hypothesis:`);
  for (const line of hypothesis) options.echo(`  - ${line}`);

  const adminToken = await target.adminToken();
  const plain = gatewayClient(target.gatewayUrl);
  const exchanges = new ExchangeLog();
  const products = await stockProducts(plain, adminToken, {
    plentiful: 5,
    plentifulStock: 1_000,
    scarceStock: 5,
  });
  timeline.note(`${products.length} fresh products stocked; ${options.shoppers} shoppers start`);

  let phase = 'before';
  const load = startLoad({
    client: gatewayClient(target.gatewayUrl, exchanges),
    products,
    declineShare: options.declineShare,
    maxOrdersPerShopper: options.maxOrdersPerShopper,
    timeline,
    ...(openLoad
      ? {
          arrivalsPerSecond: openLoad.steady * options.capacityPerSecond,
          // Enough for every arrival of the burst to find one idle for a 2 s visit; one who is
          // refused tries again after Retry-After for a few seconds, then gives up, as at a sale.
          shoppers: Math.max(
            options.shoppers,
            Math.ceil(openLoad.burst * options.capacityPerSecond * 2),
          ),
          placeRetryMs: 5_000,
        }
      : { shoppers: options.shoppers }),
  });
  const probe = startProbe({
    client: plain,
    adminToken,
    exchanges,
    pendingSeenByShoppers: () => load.pendingOrders(),
    phase: () => phase,
    timeline,
  });

  const loadStarted = Date.now();
  await holdFor(options.warmupMs);
  // The fault should find sagas mid-flight, not an idle system.
  await waitUntil(() => load.pendingOrders() > 0, { timeoutMs: 30_000, intervalMs: 100 });
  phase = 'fault';
  const faultStarted = Date.now();
  timeline.note(`fault injected with ${load.pendingOrders()} orders in flight: ${fault}`);
  await experiment.inject({
    ...target.faults,
    faultMs: options.faultMs,
    catalogLatencyMs: options.catalogLatencyMs,
    capacityPerSecond: options.capacityPerSecond,
    setArrivalsPerSecond: (perSecond) => load.setArrivalsPerSecond(perSecond),
    timeline,
  });
  const faultEnded = Date.now();
  phase = 'after';
  timeline.note('fault restored');
  await holdFor(options.cooldownMs);
  load.stopPlacing();
  timeline.note('checkouts stop; shoppers follow their orders to the end');
  const outcome = await load.finished;
  const loadEnded = Date.now();
  phase = 'recovery';
  timeline.note(
    `load finished: ${outcome.acknowledged.length} orders acknowledged, ${outcome.abandoned} checkouts abandoned`,
  );

  const quietAfter = await waitForQuiet(
    plain,
    adminToken,
    outcome.shoppers,
    options.recoveryBoundMs,
  );
  const recoverySeconds =
    quietAfter === undefined ? null : Math.round((Date.now() - faultEnded) / 100) / 10;
  timeline.note(
    quietAfter === undefined
      ? `NOT quiet within ${options.recoveryBoundMs / 1000} s of the load ending`
      : 'quiet: no saga in flight, every order ended',
  );
  const samples = await probe.stop();
  const lastFailure = exchanges
    .all()
    .filter((e) => isFailure(e.status))
    .reduce((latest, e) => Math.max(latest, e.at), 0);
  if (lastFailure > faultEnded) {
    timeline.note(
      `last failure a shopper saw: ${((lastFailure - faultEnded) / 1000).toFixed(1)} s after the fault was restored`,
    );
  }

  const evidence = await gatherEvidence({
    client: plain,
    adminToken,
    shoppers: outcome.shoppers,
    acknowledged: outcome.acknowledged,
    products,
    mail: target.mail,
    mailWaitMs: 60_000,
  });
  const all = exchanges.all();
  const verdicts = [
    ...checkInvariants(evidence, products, options.settleBoundMs, target.mail !== undefined),
    ...(openLoad
      ? overloadVerdicts(evidence, all, {
          from: faultStarted,
          to: faultEnded,
          capacityPerSecond: options.capacityPerSecond,
        })
      : []),
  ];
  return {
    experiment: experiment.name,
    fault,
    hypothesis,
    startedAt: new Date(timeline.startedAt).toISOString(),
    parameters: {
      shoppers: options.shoppers,
      faultSeconds: options.faultMs / 1000,
      warmupSeconds: options.warmupMs / 1000,
      cooldownSeconds: options.cooldownMs / 1000,
      declineShare: options.declineShare,
      settleBoundSeconds: options.settleBoundMs / 1000,
      ...(openLoad ? { capacityPerSecond: options.capacityPerSecond } : {}),
    },
    timeline: timeline.events,
    samples,
    phases: [
      phaseFigures('before', all, loadStarted, faultStarted),
      phaseFigures('fault', all, faultStarted, faultEnded),
      phaseFigures('after', all, faultEnded, loadEnded),
    ],
    outcome: {
      shoppers: outcome.shoppers.length,
      ordersAcknowledged: outcome.acknowledged.length,
      checkoutsAbandoned: outcome.abandoned,
      recoverySeconds,
    },
    verdicts,
    passed: verdicts.every((v) => v.holds),
  };
}
