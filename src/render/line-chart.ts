/**
 * A small line chart as inline SVG (axes, ticks, a legend), for static reports: training curves,
 * per-layer means. No scripts, no external assets; text uses the page's font.
 */
import { escapeMarkup as esc } from './markup.js';

export interface Series {
  label: string;
  /** Points in x order; NaN or missing y values break the line. */
  points: readonly { x: number; y: number }[];
  color: string;
  /** Draw a dot at every point (default: when a series has at most 30 points). */
  dots?: boolean;
}

export interface LineChartOptions {
  width?: number;
  height?: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** A log scale for x (values ≤ 0 are drawn at the left edge); for steps of a log-spaced series. */
  logX?: boolean;
  /** Fixed y range; default from the data. */
  yRange?: [number, number];
  /** Format of the y tick labels (e.g. a percentage). */
  formatY?: (y: number) => string;
  /** Names for integer x values (layers), used as tick labels. */
  xNames?: readonly string[];
}

const M = { left: 56, right: 12, top: 28, bottom: 44 };

export function renderLineChartSvg(series: readonly Series[], options: LineChartOptions = {}): string {
  const width = options.width ?? 420;
  const height = options.height ?? 240;
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y) && Number.isFinite(p.x));
  if (all.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img"><text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="12">no data</text></svg>`;
  const fx = (x: number): number => (options.logX ? Math.log10(Math.max(x, 0) + 1) : x);
  const xs = all.map((p) => fx(p.x));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = options.yRange ?? padded(Math.min(...all.map((p) => p.y)), Math.max(...all.map((p) => p.y)));
  const plotW = width - M.left - M.right;
  const plotH = height - M.top - M.bottom;
  const px = (x: number): number => M.left + (x1 === x0 ? plotW / 2 : ((fx(x) - x0) / (x1 - x0)) * plotW);
  const py = (y: number): number => M.top + plotH - (y1 === y0 ? plotH / 2 : ((y - y0) / (y1 - y0)) * plotH);
  const formatY = options.formatY ?? ((y: number) => shortNumber(y));
  const parts: string[] = [];
  for (const t of niceTicks(y0, y1, 5)) {
    parts.push(`<line x1="${M.left}" x2="${width - M.right}" y1="${py(t).toFixed(1)}" y2="${py(t).toFixed(1)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${M.left - 6}" y="${(py(t) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#444">${esc(formatY(t))}</text>`);
  }
  const xTicks = options.xNames
    ? options.xNames.map((_, i) => i)
    : options.logX
      ? [0, 1, 10, 100, 1000, 10000, 100000].filter((t) => fx(t) >= x0 && fx(t) <= x1)
      : niceTicks(x0, x1, 6);
  for (const t of xTicks) {
    const label = options.xNames ? (options.xNames[t] ?? String(t)) : shortNumber(t);
    parts.push(`<text x="${px(t).toFixed(1)}" y="${M.top + plotH + 16}" text-anchor="middle" font-size="11" fill="#444">${esc(label)}</text>`);
  }
  parts.push(`<line x1="${M.left}" x2="${width - M.right}" y1="${M.top + plotH}" y2="${M.top + plotH}" stroke="#888"/>`);
  for (const s of series) {
    const segments: string[][] = [[]];
    for (const p of s.points) {
      if (!Number.isFinite(p.y)) segments.push([]);
      else segments.at(-1)!.push(`${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`);
    }
    for (const seg of segments.filter((g) => g.length > 1)) parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${seg.join(' ')}"/>`);
    if (s.dots ?? s.points.length <= 30) {
      for (const p of s.points.filter((q) => Number.isFinite(q.y))) {
        parts.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="2.5" fill="${s.color}"><title>${esc(`${s.label}: ${shortNumber(p.x)}, ${formatY(p.y)}`)}</title></circle>`);
      }
    }
  }
  let lx = M.left;
  for (const s of series) {
    parts.push(`<rect x="${lx}" y="8" width="10" height="10" fill="${s.color}"/><text x="${lx + 14}" y="17" font-size="11" fill="#222">${esc(s.label)}</text>`);
    lx += 24 + s.label.length * 6.5;
  }
  if (options.xLabel) parts.push(`<text x="${M.left + plotW / 2}" y="${height - 6}" text-anchor="middle" font-size="11" fill="#444">${esc(options.xLabel)}</text>`);
  if (options.yLabel) parts.push(`<text transform="translate(12 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="11" fill="#444">${esc(options.yLabel)}</text>`);
  const title = options.title ? `<title>${esc(options.title)}</title>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="system-ui, DejaVu Sans, sans-serif">${title}${parts.join('')}</svg>`;
}

function padded(lo: number, hi: number): [number, number] {
  if (lo === hi) return [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function shortNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 10000) return `${Number((v / 1000).toPrecision(3))}k`;
  if (a >= 100 || Number.isInteger(v)) return String(Math.round(v));
  return String(Number(v.toPrecision(3)));
}
