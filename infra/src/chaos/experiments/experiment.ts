import type { ProcessControl } from '../../supervisor';
import type { LatencyProxy } from '../latency-proxy';
import type { Timeline } from '../timeline';

/** What the native experiments work with: the processes (a testbed's, or `npm start`'s) and the catalog's proxy. */
export interface NativeFaults {
  bed: ProcessControl;
  /** The hop cart, order and the gateway reach the catalog through. */
  catalogProxy: LatencyProxy;
}

export interface FaultContext {
  faultMs: number;
  catalogLatencyMs: number;
  timeline: Timeline;
  /** The shoppers' arrival rate, for an experiment whose fault is the load (an open loop's). */
  setArrivalsPerSecond: (perSecond: number) => void;
  /** What `pnpm bench` measured the system to confirm per second (ChaosOptions). */
  capacityPerSecond: number;
}

/**
 * An experiment whose fault is the load itself: shoppers arrive on a clock (an open loop) at
 * `steady` × capacity, and the fault changes the rate. Its report adds the overload figures.
 */
export interface OpenLoad {
  /** The arrival rate outside the fault, as a share of capacity. */
  steady: number;
  /** The arrival rate during the fault, as a share of capacity. */
  burst: number;
}

/** A fault, injected into a system reached through `Faults` (native processes, or containers). */
export interface Experiment<Faults = NativeFaults> {
  name: string;
  /** The fault in one line, for the report. */
  fault: (
    context: Pick<FaultContext, 'faultMs' | 'catalogLatencyMs' | 'capacityPerSecond'>,
  ) => string;
  /** Stops or restarts infrastructure other runs share: never part of the default test run. */
  touchesSharedInfrastructure: boolean;
  /** Without it, shoppers loop (a closed loop): each checks out again once their order ended. */
  openLoad?: OpenLoad;
  /** Injects the fault, holds it for `faultMs`, restores, and resolves once it is restored. */
  inject(context: Faults & FaultContext): Promise<void>;
}

export const holdFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
