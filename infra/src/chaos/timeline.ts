export interface TimelineEvent {
  /** Seconds since the experiment started. */
  t: number;
  at: string;
  event: string;
}

/** What happened when, relative to the start of an experiment, for the printed report. */
export class Timeline {
  readonly startedAt = Date.now();
  readonly events: TimelineEvent[] = [];

  constructor(private readonly echo: (line: string) => void = () => {}) {}

  note(event: string): void {
    const now = Date.now();
    const entry = { t: this.secondsAt(now), at: new Date(now).toISOString(), event };
    this.events.push(entry);
    this.echo(`  [${entry.t.toFixed(1).padStart(6)} s] ${event}`);
  }

  secondsAt(time: number): number {
    return Math.round((time - this.startedAt) / 100) / 10;
  }
}
