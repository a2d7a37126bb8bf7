import type { Testbed } from '../../testbed';
import type { LatencyProxy } from '../latency-proxy';
import type { Timeline } from '../timeline';

export interface FaultContext {
  bed: Testbed;
  /** The hop cart, order and the gateway reach the catalog through. */
  catalogProxy: LatencyProxy;
  faultMs: number;
  catalogLatencyMs: number;
  timeline: Timeline;
}

export interface Experiment {
  name: string;
  /** The fault in one line, for the report. */
  fault: (context: Pick<FaultContext, 'faultMs' | 'catalogLatencyMs'>) => string;
  /** Stops or restarts infrastructure other runs share: never part of the default test run. */
  touchesSharedInfrastructure: boolean;
  /** Injects the fault, holds it for `faultMs`, restores, and resolves once it is restored. */
  inject(context: FaultContext): Promise<void>;
}

export const holdFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
