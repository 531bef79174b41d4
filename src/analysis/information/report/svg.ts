/**
 * The figure of a per-word information measure, as one SVG that the HTML page inlines and the
 * PNG rasterises (sharp/librsvg, the system's DejaVu fonts), so both show the same picture.
 *
 * One panel per measured model: a words × layers heatmap of log(σ / scale) — words as columns,
 * layers as rows from the input up, pale where the layer keeps the word and dark where it has
 * forgotten it (the dashboard's convention) — and beside it, on the same rows, the layer's mean
 * over the words: the per-layer mean-information curve. Several panels (the same sentence
 * through several models) share one colour range and sit side by side; below them a chart puts
 * every model's mean curve against relative depth. Each cell carries a <title>: the values on
 * hover in a browser.
 */
import { INFERNO, textColorOn, toHex } from '../../../render/colormap.js';
import { escapeMarkup as esc } from '../../../render/markup.js';
import { mean, relativeLogSigma, type InformationRecord } from './record.js';
import { depthChart } from './depth-chart.js';
import { FONT, fmt, text, textWidth, type Svg } from './draw.js';

export interface FigureOptions {
  /** Heading of each panel (default: the record's model). */
  titles?: readonly string[];
  /** A second, smaller line under each heading (e.g. the model's test accuracy). */
  notes?: readonly (string | undefined)[];
  /** Tokens to mark with a dot above their column (e.g. sentiment words), per panel. */
  marked?: readonly (readonly boolean[] | undefined)[];
  /** What a mark means, for the legend (default 'marked word'). */
  markLabel?: string;
  /** Colour range of log(σ / scale), shared by all panels (default: the data's minimum … 0). */
  range?: readonly [number, number];
  /** Print the value in each cell (default true). */
  values?: boolean;
  /** Wrap panels into rows no wider than this (default 1800 px). */
  maxWidth?: number;
  /** A heading over the whole figure. */
  title?: string;
  /** The chart of every panel's mean curve against relative depth (default: with several panels). */
  depthChart?: boolean;
}

/** Forgotten (large σ) dark, kept pale: inferno run backwards. */
export const INFORMATION_COLORMAP = INFERNO.reversed();

const CELL_W = 42;
const CELL_H = 24;
const PAD = 14;
const GAP = 36;
const CURVE_W = 150;
const BAR_H = 10;
const TOKEN_CHARS = 14;
const LAYER_CHARS = 22;

export function informationSvg(records: readonly InformationRecord[], options: FigureOptions = {}): Svg {
  if (records.length === 0) throw new RangeError('nothing to draw: no measured models');
  const range = options.range ?? dataRange(records);
  const panels = records.map((r, i) => panel(r, i, range, options));
  // Panels flow left to right and wrap at maxWidth.
  const maxWidth = options.maxWidth ?? 1800;
  const titleH = options.title === undefined ? 0 : 30;
  let x = PAD;
  let y = PAD + titleH;
  let rowH = 0;
  let width = 0;
  const placed: string[] = [];
  for (const p of panels) {
    if (x > PAD && x + p.width > maxWidth) {
      x = PAD;
      y += rowH + GAP;
      rowH = 0;
    }
    placed.push(`<g transform="translate(${x},${y})">${p.body}</g>`);
    x += p.width + GAP;
    width = Math.max(width, x - GAP + PAD);
    rowH = Math.max(rowH, p.height);
  }
  let height = y + rowH + PAD;
  const legend = legendSvg(range, options.markLabel, options.marked?.some(Boolean) ?? false);
  placed.push(`<g transform="translate(${PAD},${height})">${legend.svg}</g>`);
  height += legend.height + PAD;
  width = Math.max(width, legend.width + 2 * PAD);
  if (options.depthChart ?? records.length > 1) {
    const chart = depthChart(records.map((r, i) => ({ label: options.titles?.[i] ?? r.model, record: r })));
    placed.push(`<g transform="translate(${PAD},${height})">${chart.svg}</g>`);
    height += chart.height + PAD;
    width = Math.max(width, chart.width + 2 * PAD);
  }
  if (options.title !== undefined) width = Math.max(width, textWidth(options.title, 17) + 2 * PAD);
  const heading = options.title === undefined ? '' : text(PAD, PAD + 18, options.title, 17, { weight: 600 });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`
    + `<rect width="100%" height="100%" fill="#ffffff"/>${heading}${placed.join('')}</svg>`;
  return { svg, width, height };
}

/** The colour range: from the smallest log(σ / scale) of any panel to 0 (σ = scale, all forgotten). */
export function dataRange(records: readonly InformationRecord[]): [number, number] {
  let lo = 0;
  for (const r of records) for (const l of r.layers) for (const v of relativeLogSigma(r, l)) if (Number.isFinite(v)) lo = Math.min(lo, v);
  return [lo === 0 ? -1 : lo, 0];
}

function panel(record: InformationRecord, index: number, range: readonly [number, number], options: FigureOptions): { body: string; width: number; height: number } {
  const title = options.titles?.[index] ?? record.model;
  const note = options.notes?.[index];
  const marked = options.marked?.[index];
  const tokens = record.tokens.map((t) => ellipsize(t, TOKEN_CHARS));
  const layers = record.layers.map((l) => ellipsize(l.name, LAYER_CHARS));
  const labelW = Math.max(40, ...layers.map((l) => textWidth(l, 12))) + 10;
  const tokenH = Math.ceil(Math.max(...tokens.map((t) => textWidth(t, 12))) * Math.SQRT1_2) + 14;
  const headH = 20 + (note !== undefined ? 16 : 0);
  const top = headH + tokenH;
  const gridW = tokens.length * CELL_W;
  const gridH = layers.length * CELL_H;
  const [lo, hi] = range;
  const t = (v: number) => (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  const parts: string[] = [text(0, 15, title, 14, { weight: 600 })];
  if (note !== undefined) parts.push(text(0, 32, note, 11.5, { fill: '#555' }));
  tokens.forEach((token, c) => {
    const cx = labelW + c * CELL_W + CELL_W / 2;
    parts.push(`<text transform="translate(${cx + 3},${top - 6}) rotate(-45)" font-size="12" fill="#111">${esc(token)}<title>${esc(record.tokens[c]!)}</title></text>`);
    if (marked?.[c]) parts.push(`<circle cx="${cx - 6}" cy="${top - 4}" r="2.6" fill="#0b7a3e"/>`);
  });
  // Rows from the input side up: the first measured layer at the top, as the table reads.
  record.layers.forEach((layer, row) => {
    const y = top + row * CELL_H;
    parts.push(text(labelW - 8, y + CELL_H / 2 + 4, layers[row]!, 12, { anchor: 'end' }));
    relativeLogSigma(record, layer).forEach((v, c) => {
      const color = INFORMATION_COLORMAP.at(t(v));
      const x = labelW + c * CELL_W;
      const hover = `${record.tokens[c]} at ${layer.name}: σ ${fmt(layer.sigma[c]!)} (log σ/scale ${v.toFixed(2)}), H ${fmt(layer.entropy[c]!)}`;
      parts.push(`<rect x="${x}" y="${y}" width="${CELL_W}" height="${CELL_H}" fill="${toHex(color)}" stroke="#ffffff" stroke-width="1"><title>${esc(hover)}</title></rect>`);
      if (options.values ?? true) parts.push(text(x + CELL_W / 2, y + CELL_H / 2 + 3.5, oneDecimal(v), 10, { anchor: 'middle', fill: toHex(textColorOn(color)), pointer: false }));
    });
  });
  const curveX = labelW + gridW + 18;
  parts.push(meanCurve(record, curveX, top, gridH, range));
  return { body: parts.join(''), width: curveX + CURVE_W + 8, height: top + gridH + 30 };
}

/** Each layer's mean log(σ / scale) on the heatmap's rows: the mean-information curve, drawn down the depth. */
function meanCurve(record: InformationRecord, left: number, top: number, height: number, range: readonly [number, number]): string {
  const [lo, hi] = range;
  const px = (v: number) => left + ((Math.max(lo, Math.min(hi, v)) - lo) / (hi - lo || 1)) * CURVE_W;
  const means = record.layers.map((l) => mean(relativeLogSigma(record, l)));
  const points = means.map((m, i) => [px(m), top + i * CELL_H + CELL_H / 2] as const);
  const parts = [
    `<rect x="${left}" y="${top}" width="${CURVE_W}" height="${height}" fill="#fafafa" stroke="#ccc"/>`,
    `<polyline points="${points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}" fill="none" stroke="#7c3aed" stroke-width="2"/>`,
    ...points.map(([x, y], i) => `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3.5" fill="#7c3aed"><title>${esc(`${record.layers[i]!.name}: mean log σ/scale ${means[i]!.toFixed(3)}, mean H ${fmt(record.layers[i]!.meanEntropy)}`)}</title></circle>`),
    text(left, top + height + 13, lo.toFixed(1), 10, { fill: '#555' }),
    text(left + CURVE_W, top + height + 13, hi.toFixed(1), 10, { anchor: 'end', fill: '#555' }),
    text(left + CURVE_W / 2, top + height + 25, 'mean log σ/scale', 10.5, { anchor: 'middle', fill: '#333' }),
  ];
  return parts.join('');
}

function legendSvg(range: readonly [number, number], markLabel: string | undefined, marks: boolean): Svg {
  const width = 320;
  const steps = 64;
  const parts: string[] = [];
  for (let i = 0; i < steps; i++) {
    parts.push(`<rect x="${(i * width) / steps}" y="0" width="${width / steps + 0.5}" height="${BAR_H}" fill="${toHex(INFORMATION_COLORMAP.at(i / (steps - 1)))}"/>`);
  }
  parts.push(`<rect x="0" y="0" width="${width}" height="${BAR_H}" fill="none" stroke="#888"/>`);
  parts.push(text(0, BAR_H + 13, `${range[0].toFixed(1)}: kept`, 10.5, { fill: '#333' }));
  parts.push(text(width, BAR_H + 13, `${range[1].toFixed(1)}: forgotten (σ = scale)`, 10.5, { anchor: 'end', fill: '#333' }));
  parts.push(text(width + 12, BAR_H, 'log(σ / scale): the noise a layer tolerates on a word', 11, { fill: '#333' }));
  let w = width + 12 + textWidth('log(σ / scale): the noise a layer tolerates on a word', 11);
  if (marks) {
    const label = markLabel ?? 'marked word';
    parts.push(`<circle cx="${width + 18}" cy="${BAR_H + 9}" r="2.6" fill="#0b7a3e"/>`, text(width + 26, BAR_H + 13, label, 10.5, { fill: '#333' }));
    w = Math.max(w, width + 26 + textWidth(label, 10.5));
  }
  return { svg: parts.join(''), width: w, height: BAR_H + 18 };
}

/** One decimal, without the "-0.0" that rounding a tiny negative number gives. */
function oneDecimal(v: number): string {
  const r = v.toFixed(1);
  return r === '-0.0' ? '0.0' : r;
}

function ellipsize(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
