/** 12:01:03, in the viewer's time zone. */
export function clockTime(iso: string | number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toLocaleTimeString('en-GB', { hour12: false });
}

export function milliseconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function perSecond(rate: number): string {
  return rate >= 10 ? rate.toFixed(0) : rate.toFixed(1);
}

export function secondsAgo(now: number, then: number | undefined): string {
  if (then === undefined) return 'not yet';
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  return `${seconds} s ago`;
}
