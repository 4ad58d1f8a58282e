import type { TelemetryField } from '../../../shared/iot-profiles.ts';
import type { Locale } from '../../../shared/i18n/locale.ts';

/**
 * One field of a device's readings over time, drawn as SVG: a line for a measure, a step line for
 * a yes/no. Written here rather than taken from a chart library: it is one small picture, and the
 * console's bundle stays lean. The table below it carries the same data for screen readers.
 */

export interface ChartPoint {
  at: number;
  value: number;
}

const WIDTH = 800;
const HEIGHT = 260;
const MARGIN = { left: 72, right: 20, top: 16, bottom: 40 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

function timeFormatter(locale: Locale, spanMs: number): Intl.DateTimeFormat {
  const withDate = spanMs > 26 * 3_600_000;
  return new Intl.DateTimeFormat(locale, {
    ...(withDate ? { month: '2-digit', day: '2-digit' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: 'Asia/Shanghai',
  });
}

/** Round steps (1, 2 or 5 × 10^n) for the value axis. */
function valueTicks(min: number, max: number, count = 4): number[] {
  const span = max - min || Math.abs(max) || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let v = first; v <= max + step * 0.5; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export function ReadingsChart({
  points,
  field,
  from,
  to,
  locale,
  label,
  formatTick,
}: {
  /** Oldest first. */
  points: readonly ChartPoint[];
  field: TelemetryField;
  from: number;
  to: number;
  locale: Locale;
  /** What the picture shows, for screen readers. */
  label: string;
  /** A value axis label: a number with its unit, or yes/no. */
  formatTick: (value: number) => string;
}) {
  const boolean = field.type === 'boolean';
  const values = points.map((p) => p.value);
  let low = boolean ? 0 : Math.min(...values);
  let high = boolean ? 1 : Math.max(...values);
  if (low === high) {
    low -= 1;
    high += 1;
  }
  const ticks = boolean ? [0, 1] : valueTicks(low, high);
  if (!boolean) {
    low = Math.min(low, ticks[0]!);
    high = Math.max(high, ticks.at(-1)!);
  }
  const x = (at: number) => MARGIN.left + ((at - from) / Math.max(1, to - from)) * PLOT_W;
  const y = (value: number) => MARGIN.top + PLOT_H - ((value - low) / (high - low)) * PLOT_H;

  // a yes/no holds until the next reading: draw it as steps
  const path = points
    .map((p, i) => {
      if (i === 0) return `M${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`;
      const line = `L${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`;
      return boolean ? `L${x(p.at).toFixed(1)},${y(points[i - 1]!.value).toFixed(1)} ${line}` : line;
    })
    .join(' ');
  const format = timeFormatter(locale, to - from);
  const timeTicks = Array.from({ length: 5 }, (_, i) => from + ((to - from) * i) / 4);

  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-label={label} data-testid="readings-chart" style={{ maxHeight: 320, display: 'block' }}>
      <g fontSize="13" fill="currentColor">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(v)} y2={y(v)} stroke="currentColor" strokeOpacity={0.12} />
            <text x={MARGIN.left - 8} y={y(v)} textAnchor="end" dominantBaseline="middle">
              {formatTick(v)}
            </text>
          </g>
        ))}
        {timeTicks.map((at) => (
          <text key={at} x={x(at)} y={HEIGHT - 12} textAnchor="middle">
            {format.format(at)}
          </text>
        ))}
        <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={MARGIN.top + PLOT_H} y2={MARGIN.top + PLOT_H} stroke="currentColor" strokeOpacity={0.4} />
      </g>
      <path d={path} fill="none" stroke="#1677ff" strokeWidth={2} strokeLinejoin="round" data-testid="readings-line" />
      {points.length <= 60 && points.map((p) => <circle key={p.at} cx={x(p.at)} cy={y(p.value)} r={3} fill="#1677ff" />)}
    </svg>
  );
}
