/**
 * A small line chart of values over the last `spanMs` (hand-drawn SVG). Decorative: the value it
 * ends on is said in text next to it.
 */
export function Sparkline({
  points,
  spanMs,
  endAt,
  className,
}: {
  points: Array<{ at: number; value: number }>;
  spanMs: number;
  endAt: number;
  className?: string;
}) {
  const width = 120;
  const height = 32;
  const max = Math.max(1, ...points.map((point) => point.value));
  const x = (at: number) => Math.max(0, Math.min(width, width - ((endAt - at) / spanMs) * width));
  const y = (value: number) => height - 2 - (value / max) * (height - 4);
  const visible = points.filter((point) => point.at >= endAt - spanMs);
  const path = visible.map((point) => `${x(point.at).toFixed(1)},${y(point.value).toFixed(1)}`);
  return (
    <svg
      className={`sparkline ${className ?? ''}`}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      <line x1="0" x2={width} y1={height - 2} y2={height - 2} className="sparkline-base" />
      {path.length > 1 && <polyline points={path.join(' ')} className="sparkline-line" />}
      {path.length === 1 && visible[0] && (
        <circle cx={x(visible[0].at)} cy={y(visible[0].value)} r="1.5" className="sparkline-dot" />
      )}
    </svg>
  );
}
