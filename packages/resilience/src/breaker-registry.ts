import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { BreakerEvent, BreakerState, BreakerStats } from './breaker';

/** The part of a breaker its registry reads. */
export interface RegisteredBreaker {
  readonly name: string;
  state(): BreakerState;
  stats(): BreakerStats;
  subscribe(listener: (event: BreakerEvent) => void): void;
  shutdown(): void;
}

/** A change of a breaker's state, as the operations console lists them. */
export interface BreakerTransition {
  to: BreakerState;
  at: Date;
}

export interface BreakerSnapshot {
  name: string;
  state: BreakerState;
  stats: BreakerStats;
  transitions: BreakerTransition[];
}

const stateAfter: Partial<Record<BreakerEvent, BreakerState>> = {
  open: 'open',
  half_open: 'half-open',
  close: 'closed',
};

/** Per breaker, the latest state changes are kept; older ones are in the logs and metrics. */
const transitionsKept = 10;

const stateGaugeValue: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * The breakers of one process, for `/api/system/health` and Prometheus. Metrics are read from the
 * breakers at scrape time, so `exposeMetrics` may be called before or after breakers register.
 */
export class BreakerRegistry {
  private readonly breakers = new Map<string, RegisteredBreaker>();
  private readonly eventTotals = new Map<string, Map<BreakerEvent, number>>();
  private readonly recentTransitions = new Map<string, BreakerTransition[]>();

  /** A breaker registered under a name already taken replaces the older one (e.g. an app rebuilt in a test). */
  register(breaker: RegisteredBreaker): void {
    this.breakers.set(breaker.name, breaker);
    breaker.subscribe((event) => {
      if (this.breakers.get(breaker.name) !== breaker) return;
      this.count(breaker.name, event);
      const to = stateAfter[event];
      if (to) this.remember(breaker.name, { to, at: new Date() });
    });
  }

  /** The breaker's latest state changes, oldest first. */
  transitions(name: string): BreakerTransition[] {
    return [...(this.recentTransitions.get(name) ?? [])];
  }

  get(name: string): RegisteredBreaker | undefined {
    return this.breakers.get(name);
  }

  snapshot(): BreakerSnapshot[] {
    return [...this.breakers.values()].map((breaker) => ({
      name: breaker.name,
      state: breaker.state(),
      stats: breaker.stats(),
      transitions: this.transitions(breaker.name),
    }));
  }

  /**
   * Registers into `metrics` the gauge `circuit_breaker_state{breaker}` (0 closed, 1 half-open,
   * 2 open) and the counter `circuit_breaker_events_total{breaker,event}`.
   */
  exposeMetrics(metrics: Registry): void {
    const breakers = this.breakers;
    const eventTotals = this.eventTotals;
    new Gauge({
      name: 'circuit_breaker_state',
      help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open',
      labelNames: ['breaker'],
      registers: [metrics],
      collect() {
        this.reset();
        for (const breaker of breakers.values()) {
          this.set({ breaker: breaker.name }, stateGaugeValue[breaker.state()]);
        }
      },
    });
    new Counter({
      name: 'circuit_breaker_events_total',
      help: 'Circuit breaker events (fire, success, failure, timeout, reject, fallback, open, half_open, close)',
      labelNames: ['breaker', 'event'],
      registers: [metrics],
      collect() {
        this.reset();
        for (const [breaker, totals] of eventTotals) {
          for (const [event, total] of totals) this.inc({ breaker, event }, total);
        }
      },
    });
  }

  /** Stops every breaker's timers (graceful shutdown, end of a test). */
  shutdown(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
    this.breakers.clear();
  }

  private remember(name: string, transition: BreakerTransition): void {
    const kept = this.recentTransitions.get(name) ?? [];
    kept.push(transition);
    this.recentTransitions.set(name, kept.slice(-transitionsKept));
  }

  private count(name: string, event: BreakerEvent): void {
    const totals = this.eventTotals.get(name) ?? new Map<BreakerEvent, number>();
    totals.set(event, (totals.get(event) ?? 0) + 1);
    this.eventTotals.set(name, totals);
  }
}

export const defaultBreakerRegistry = new BreakerRegistry();
