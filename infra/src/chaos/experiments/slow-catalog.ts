import { holdFor, type Experiment } from './experiment';

/**
 * Every byte sent to the catalog is held back by the latency proxy in front of it: the cart's
 * breaker (1 s timeout) should fall back to its snapshots, order's pricing call (2 s) should fail
 * fast with 503/504 and the shoppers retry their checkout with the same Idempotency-Key.
 */
export const slowCatalog: Experiment = {
  name: 'slow-catalog',
  fault: ({ faultMs, catalogLatencyMs }) =>
    `${catalogLatencyMs} ms added to every request to the catalog (cart, order, gateway) for ${faultMs / 1000} s`,
  touchesSharedInfrastructure: false,
  async inject({ catalogProxy, faultMs, catalogLatencyMs, timeline }) {
    catalogProxy.setLatency(catalogLatencyMs);
    timeline.note(`catalog latency +${catalogLatencyMs} ms`);
    await holdFor(faultMs);
    catalogProxy.setLatency(0);
    timeline.note('catalog latency back to none');
  },
};
