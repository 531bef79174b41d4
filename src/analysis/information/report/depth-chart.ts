/**
 * Several models' mean-information curves on one chart: each model's layers spread evenly over
 * relative depth 0 (its first measured layer) … 1 (its last), the mean log(σ / scale) over the
 * words on the y axis. Models have different numbers of layers; relative depth lets their
 * curves be compared as the paper compares architectures.
 */
import { escapeMarkup as esc } from '../../../render/markup.js';
import { mean, relativeLogSigma, type InformationRecord } from './record.js';
import { text, textWidth, type Svg } from './draw.js';

/** Tableau 10: distinct hues that stay apart for colour-blind readers better than a rainbow. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const W = 420;
const H = 200;
const LEFT = 52;
const TOP = 22;

export interface DepthSeries {
  label: string;
  /** Mean log(σ / scale) per layer, input side first; or a record to compute them from. */
  record?: InformationRecord;
  means?: readonly number[];
  layers?: readonly string[];
}

export function depthChart(series: readonly DepthSeries[], title = 'Mean over the words, per layer (relative depth)'): Svg {
  const lines = series.map((s) => {
    const means = s.means ?? s.record!.layers.map((l) => mean(relativeLogSigma(s.record!, l)));
    const names = s.layers ?? s.record?.layers.map((l) => l.name) ?? means.map((_, i) => `${i + 1}`);
    return { label: s.label, means, names };
  });
  const all = lines.flatMap((l) => l.means).filter(Number.isFinite);
  let [lo, hi] = [Math.min(...all), Math.max(...all)];
  if (!(hi > lo)) [lo, hi] = [lo - 0.5, hi + 0.5];
  const padY = 0.08 * (hi - lo);
  [lo, hi] = [lo - padY, hi + padY];
  const x = (i: number, n: number) => LEFT + (n === 1 ? W / 2 : (i / (n - 1)) * W);
  const y = (v: number) => TOP + (1 - (v - lo) / (hi - lo)) * H;
  const parts: string[] = [
    text(0, 13, title, 12.5, { weight: 600 }),
    `<rect x="${LEFT}" y="${TOP}" width="${W}" height="${H}" fill="#fafafa" stroke="#ccc"/>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    parts.push(`<line x1="${LEFT}" x2="${LEFT + W}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`, text(LEFT - 6, y(v) + 3.5, v.toFixed(2), 10, { anchor: 'end', fill: '#555' }));
  }
  parts.push(
    text(LEFT, TOP + H + 14, 'first layer', 10, { fill: '#555' }),
    text(LEFT + W, TOP + H + 14, 'last layer', 10, { anchor: 'end', fill: '#555' }),
    `<text transform="translate(12,${TOP + H / 2}) rotate(-90)" font-size="10.5" fill="#333" text-anchor="middle">mean log σ/scale</text>`,
  );
  lines.forEach((line, s) => {
    const color = PALETTE[s % PALETTE.length]!;
    const pts = line.means.map((m, i) => [x(i, line.means.length), y(m)] as const);
    parts.push(`<polyline points="${pts.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    pts.forEach(([a, b], i) => parts.push(`<circle cx="${a.toFixed(1)}" cy="${b.toFixed(1)}" r="3.5" fill="${color}"><title>${esc(`${line.label} · ${line.names[i]}: ${line.means[i]!.toFixed(3)}`)}</title></circle>`));
  });
  // Legend to the right of the plot.
  const legendX = LEFT + W + 16;
  lines.forEach((line, s) => {
    const ly = TOP + 8 + s * 18;
    parts.push(`<rect x="${legendX}" y="${ly - 8}" width="14" height="4" fill="${PALETTE[s % PALETTE.length]}"/>`, text(legendX + 20, ly - 2, line.label, 11));
  });
  const legendW = Math.max(0, ...lines.map((l) => textWidth(l.label, 11))) + 36;
  return { svg: parts.join(''), width: legendX + legendW, height: TOP + H + 22 };
}
