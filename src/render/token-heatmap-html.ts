import { ATTRIBUTION_DIVERGING, textColorOn, toHex, type Colormap } from './colormap.js';
import { escapeMarkup as esc } from './markup.js';
import { formatValue, normalise } from './scale.js';
import { checkRow, displayToken, rowScales, spanSum, wordSpans, type ScaleMode, type TokenRow } from './tokens.js';

/** Rows that belong together: one sentence explained by several methods, or several sentences. */
export interface HeatmapGroup {
  /** Heading of the group, e.g. the sentence. */
  title?: string;
  /** The class the attributions explain (overrides the page's `target`). */
  target?: string;
  /** What the model predicted for this input. */
  predicted?: { label: string; probability?: number };
  rows: readonly TokenRow[];
}

export interface TokenHeatmapOptions {
  /** Page title and heading. */
  title?: string;
  /** The class the attributions explain, named in the legend. */
  target?: string;
  /** See ScaleMode; default 'row'. */
  scale?: ScaleMode;
  /** Diverging map, t = 0 against the target, 1 toward it. Default: RdBu reversed (blue–white–red). */
  colormap?: Colormap;
  /** Header of the label column; default 'method'. */
  labelHeader?: string;
  /** Show each row's sum of values (for IG: ≈ F(x) − F(baseline)); default true. */
  showSum?: boolean;
}

/**
 * A self-contained HTML page (inline CSS, no scripts, no external assets) showing token
 * attributions as coloured cells: red pushes toward the target class, blue against it; the
 * background's intensity is |value| / scale (see ScaleMode), clipped to 1. Hovering a token shows
 * its value (title attribute). Tokens that form one word (wordIds) are underlined together.
 */
export function renderTokenHeatmapHtml(groups: readonly HeatmapGroup[], options: TokenHeatmapOptions = {}): string {
  const title = options.title ?? 'Token attributions';
  const { css, html } = tokenHeatmapSection(groups, options);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${PAGE_STYLE}\n${css}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${esc(title)}</h1>`,
    html,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * The heatmap without a page around it — the legend and the groups, with the CSS they need — to
 * place inside a larger report.
 */
export function tokenHeatmapSection(groups: readonly HeatmapGroup[], options: TokenHeatmapOptions = {}): { css: string; html: string } {
  for (const g of groups) g.rows.forEach(checkRow);
  const cmap = options.colormap ?? ATTRIBUTION_DIVERGING;
  const mode = options.scale ?? 'row';
  const scales = rowScales(groups.map((g) => g.rows), mode);
  const body = groups.map((g, i) => groupHtml(g, scales[i]!, cmap, options)).join('\n');
  return { css: STYLE, html: `${legendHtml(cmap, mode, scales, options.target)}\n${body}` };
}

/** The colour of a value under a scale: background and a text colour that contrasts with it. */
export function tokenColors(value: number, scale: number, cmap: Colormap = ATTRIBUTION_DIVERGING): { background: string; text: string } {
  const bg = cmap.at(0.5 + 0.5 * normalise(value, scale));
  return { background: toHex(bg), text: toHex(textColorOn(bg)) };
}

function legendHtml(cmap: Colormap, mode: ScaleMode, scales: number[][], target: string | undefined): string {
  const gradient = cmap.stops.map((c, i) => `${toHex(c)} ${((100 * i) / (cmap.stops.length - 1)).toFixed(1)}%`).join(', ');
  const all = scales.flat();
  const shared = typeof mode === 'number' || mode === 'shared' || (all.length > 0 && all.every((s) => s === all[0]));
  const s = all[0] ?? 0;
  const [lo, hi] = shared ? [formatValue(-s, s), formatValue(s, s)] : ['-max|v|', '+max|v|'];
  const toward = target === undefined ? 'the target class' : `<b>${esc(target)}</b>`;
  const how =
    typeof mode === 'number'
      ? `Intensity = |value| / ${esc(formatValue(mode, mode).replace('+', ''))}, clipped at 1 (fixed scale).`
      : mode === 'row'
        ? 'Intensity = |value| / the row’s max |value| (each row on its own scale, shown at its end).'
        : mode === 'group'
          ? 'Intensity = |value| / max |value| over the rows of a group (one scale per group).'
          : 'Intensity = |value| / max |value| over every row (one scale for the page).';
  return [
    '<figure class="legend" aria-label="colour legend">',
    `<div class="bar" style="background: linear-gradient(to right, ${gradient})"></div>`,
    `<div class="ticks"><span>${esc(lo)}</span><span>0</span><span>${esc(hi)}</span></div>`,
    `<figcaption><span class="swatch" style="background:${toHex(cmap.at(1))}"></span> red: pushes toward ${toward}`,
    ` &nbsp; <span class="swatch" style="background:${toHex(cmap.at(0))}"></span> blue: pushes against it.`,
    ` ${how} Hover a token for its value.</figcaption>`,
    '</figure>',
  ].join('\n');
}

function groupHtml(group: HeatmapGroup, scales: number[], cmap: Colormap, options: TokenHeatmapOptions): string {
  const meta: string[] = [];
  const target = group.target ?? options.target;
  if (target !== undefined) meta.push(`target: <b>${esc(target)}</b>`);
  if (group.predicted) {
    const p = group.predicted.probability;
    meta.push(`predicted: <b>${esc(group.predicted.label)}</b>${p === undefined ? '' : ` (p = ${esc(p.toFixed(3))})`}`);
  }
  const showSum = options.showSum ?? true;
  const head = [`<th scope="col">${esc(options.labelHeader ?? 'method')}</th>`, '<th scope="col">tokens</th>', '<th scope="col" class="num">max |v|</th>'];
  if (showSum) head.push('<th scope="col" class="num">sum</th>');
  const rows = group.rows.map((row, i) => rowHtml(row, scales[i]!, cmap, showSum));
  return [
    '<section class="group">',
    group.title === undefined ? '' : `<h2>${esc(group.title)}</h2>`,
    meta.length ? `<p class="meta">${meta.join(' · ')}</p>` : '',
    '<table>',
    `<colgroup><col class="label"><col><col class="num">${showSum ? '<col class="num">' : ''}</colgroup>`,
    `<thead><tr>${head.join('')}</tr></thead>`,
    '<tbody>',
    ...rows,
    '</tbody>',
    '</table>',
    '</section>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

function rowHtml(row: TokenRow, scale: number, cmap: Colormap, showSum: boolean): string {
  const grouped = row.wordIds !== undefined;
  let sum = 0;
  for (let i = 0; i < row.values.length; i++) sum += row.values[i]!;
  const words = wordSpans(row).map((span) => {
    const merged = span.end - span.start > 1;
    const wordText = merged ? row.tokens.slice(span.start, span.end).map((t, k) => displayToken(t, true, k > 0)).join('') : '';
    const wordNote = merged ? ` (word “${wordText}”: ${formatValue(spanSum(row.values, span), scale)})` : '';
    const cells: string[] = [];
    for (let i = span.start; i < span.end; i++) {
      const v = row.values[i]!;
      const { background, text } = tokenColors(v, scale, cmap);
      const shown = displayToken(row.tokens[i]!, grouped, i > span.start);
      const tip = `${row.tokens[i]!}: ${formatValue(v, scale)}${wordNote}`;
      const special = grouped && span.word === null ? ' special' : '';
      cells.push(`<span class="t${special}" style="background:${background};color:${text}" title="${esc(tip)}">${esc(shown)}</span>`);
    }
    return merged ? `<span class="word" title="${esc(`${wordText}: ${formatValue(spanSum(row.values, span), scale)}`)}">${cells.join('')}</span>` : cells[0]!;
  });
  const cols = [
    `<th scope="row">${esc(row.label ?? '')}${row.note === undefined ? '' : `<div class="note">${esc(row.note)}</div>`}</th>`,
    `<td class="tokens">${words.join(' ')}</td>`,
    `<td class="num">${esc(formatValue(scale, scale).replace('+', ''))}</td>`,
  ];
  if (showSum) cols.push(`<td class="num">${esc(formatValue(sum, scale))}</td>`);
  return `<tr>${cols.join('')}</tr>`;
}

/** The page around a standalone heatmap. */
const PAGE_STYLE = `
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #111; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Roboto, sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
`.trim();

/** The heatmap itself. */
const STYLE = `
.group h2 { font-size: 1.05rem; margin: 0 0 0.2rem; font-weight: 600; }
.legend { margin: 0 0 1.5rem; max-width: 40rem; }
.legend .bar { height: 14px; border: 1px solid #999; border-radius: 2px; }
.legend .ticks { display: flex; justify-content: space-between; font-size: 0.8rem; font-variant-numeric: tabular-nums; color: #333; }
.legend figcaption { font-size: 0.875rem; color: #333; margin-top: 0.3rem; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; vertical-align: -0.1em; border-radius: 2px; }
.group { margin: 0 0 1.75rem; }
.meta { margin: 0 0 0.4rem; font-size: 0.9rem; color: #333; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
col.label { width: 13.5rem; } col.num { width: 5.5rem; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.6rem; border-bottom: 1px solid #e3e3e3; }
thead th { font-size: 0.8rem; letter-spacing: 0.02em; color: #555; font-weight: 600; border-bottom: 1px solid #bbb; }
tbody th { font-weight: 600; font-size: 0.9rem; overflow-wrap: break-word; }
.note { font-weight: 400; font-size: 0.75rem; color: #555; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; font-size: 0.85rem; color: #333; }
td.tokens { line-height: 2.1; }
.t { padding: 0.15em 0.3em; border-radius: 3px; white-space: pre; cursor: default; }
.word { display: inline-block; line-height: 1.6; border-bottom: 2px solid #444; padding-bottom: 1px; }
.word .t { border-radius: 0; }
.word .t:first-child { border-radius: 3px 0 0 3px; }
.word .t:last-child { border-radius: 0 3px 3px 0; }
.t.special { font-style: italic; outline: 1px dashed #999; outline-offset: -1px; }
@media print { .t, .swatch, .legend .bar { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
`.trim();
