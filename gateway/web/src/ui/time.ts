/** Whole seconds between an instant and now, never negative (clocks drift a little). */
export function secondsSince(at: string | number, now: number): number {
  const then = typeof at === 'number' ? at : Date.parse(at);
  return Math.max(0, Math.floor((now - then) / 1000));
}

/** "3 s ago", "4 min ago", "2 h ago", "3 d ago". */
export function formatAgo(at: string | number, now: number): string {
  const seconds = secondsSince(at, now);
  if (seconds < 120) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** A date and time in the reader's locale, e.g. "12 Mar 2025, 14:03:07". */
export function formatDateTime(at: string): string {
  return new Date(at).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
}

/** A time with milliseconds, for following a saga step by step: "14:03:07.123". */
export function formatPreciseTime(at: string): string {
  const date = new Date(at);
  const hms = date.toLocaleTimeString(undefined, { hour12: false });
  return `${hms}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** Milliseconds from one instant to another, or undefined when either is unknown. */
export function millisBetween(from: string | null | undefined, to: string | null | undefined) {
  if (!from || !to) return undefined;
  return Date.parse(to) - Date.parse(from);
}
