import type { Testbed } from '../../testbed';
import type { LatencyProxy } from '../latency-proxy';
import type { Timeline } from '../timeline';

/** What the native experiments work with: the testbed's processes and the catalog's proxy. */
export interface NativeFaults {
  bed: Testbed;
  /** The hop cart, order and the gateway reach the catalog through. */
  catalogProxy: LatencyProxy;
}

export interface FaultContext {
  faultMs: number;
  catalogLatencyMs: number;
  timeline: Timeline;
}

/** A fault, injected into a system reached through `Faults` (native processes, or containers). */
export interface Experiment<Faults = NativeFaults> {
  name: string;
  /** The fault in one line, for the report. */
  fault: (context: Pick<FaultContext, 'faultMs' | 'catalogLatencyMs'>) => string;
  /** Stops or restarts infrastructure other runs share: never part of the default test run. */
  touchesSharedInfrastructure: boolean;
  /** Injects the fault, holds it for `faultMs`, restores, and resolves once it is restored. */
  inject(context: Faults & FaultContext): Promise<void>;
}

export const holdFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
