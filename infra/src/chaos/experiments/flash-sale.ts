import { holdFor, type Experiment } from './experiment';

const steady = 0.5;
const burst = 4;

/**
 * A flash sale: shoppers arrive at half the capacity `pnpm bench` measured, then at four times
 * it for the length of the fault, then at half again. Nothing breaks; the shop is only asked for
 * far more than it can do. It should refuse the excess at once (503 with Retry-After, nothing
 * written) and keep confirming at its capacity, instead of accepting everything and letting the
 * sagas time out in its own queues (issue 13's congestion collapse).
 */
export const flashSale: Experiment<unknown> = {
  name: 'flash-sale',
  fault: ({ faultMs, capacityPerSecond }) =>
    `checkouts arrive at ${burst}× capacity (${burst * capacityPerSecond}/s) for ${faultMs / 1000} s, ` +
    `${steady}× (${steady * capacityPerSecond}/s) before and after`,
  touchesSharedInfrastructure: false,
  openLoad: { steady, burst },
  async inject({ setArrivalsPerSecond, capacityPerSecond, faultMs, timeline }) {
    setArrivalsPerSecond(burst * capacityPerSecond);
    timeline.note(`the sale opens: ${burst * capacityPerSecond} checkouts/s arrive`);
    await holdFor(faultMs);
    setArrivalsPerSecond(steady * capacityPerSecond);
    timeline.note(`the sale ends: back to ${steady * capacityPerSecond} checkouts/s`);
  },
};
