/**
 * The report as a self-contained HTML page (inline CSS and SVG, no scripts, no external
 * assets): the figure (values on hover), then per model a table of each layer's mean
 * log(σ / scale) and mean entropy, and the measure's settings.
 */
import { escapeMarkup as esc } from '../../../render/markup.js';
import { fmt } from './draw.js';
import type { InformationRecord } from './record.js';
import { informationSvg, type FigureOptions } from './svg.js';

export interface ReportOptions extends FigureOptions {
  /** Paragraphs (plain text) placed between the heading and the figure. */
  intro?: readonly string[];
  /** PNG figures to show instead of the words × layers figure (images: informationImagePng). */
  pictures?: readonly Buffer[];
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#111;margin:0;background:#fff}
main{max-width:1800px;margin:0 auto;padding:24px}h1{font-size:1.35rem;margin:0 0 .5rem}
h2{font-size:1.05rem;margin:1.5rem 0 .4rem}p{max-width:60rem;line-height:1.45}.muted{color:#555}
figure{margin:1rem 0;overflow-x:auto}table{border-collapse:collapse;margin:.3rem 0 1rem;font-size:.9rem}
th,td{border-bottom:1px solid #e3e3e3;padding:.25rem .7rem;text-align:right}th:first-child,td:first-child{text-align:left}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}`;

export function informationHtml(records: readonly InformationRecord[], options: ReportOptions = {}): string {
  const figure = options.pictures
    ? options.pictures.map((png, i) => `<img alt="what each layer keeps of the image (${esc(options.titles?.[i] ?? records[i]?.model ?? '')})" src="data:image/png;base64,${png.toString('base64')}">`).join('')
    : informationSvg(records, options).svg;
  const sentences = [...new Set(records.map((r) => r.text))];
  const what = records.some((r) => r.image) ? 'Information per patch' : 'Per-word information';
  const heading = options.title ?? `${what}, layer by layer: ${sentences.map((s) => `“${s}”`).join(' / ')}`;
  const intro = options.intro ?? (records.some((r) => r.image)
    ? ['For each patch of the image and each layer, σ is the largest Gaussian noise the patch’s pixels can take while the layer’s features barely change (Guan et al., ICML 2019). '
      + 'A large σ means the layer has forgotten the patch. Each picture shows −log(σ / scale) over the image, one colour scale for all layers: bright where the layer keeps the patch, nothing where σ reaches the largest value the measure allows.']
    : ['For each word and layer, σ is the largest Gaussian noise the word’s embedding can take while the layer’s features barely change (Guan et al., ICML 2019). '
      + 'A large σ means the layer has forgotten the word; the entropy H = (D/2)·log(2πe) + D·log σ grows with it. Cells show log(σ / scale), where scale is the largest σ the measure allows.']);
  const tables = records.map((r, i) => {
    const rows = r.layers.map((l) => `<tr><td><code>${esc(l.name)}</code></td><td>${l.meanLogSigma.toFixed(3)}</td><td>${fmt(l.meanEntropy)}</td><td>${l.steps}</td><td>${l.stopped}</td><td>${esc(l.normalizer)}</td></tr>`);
    const title = options.titles?.[i] ?? r.model;
    return `<h2>${esc(title)}</h2>`
      + `<p class="muted">model <code>${esc(r.model)}</code> · noise on <code>${esc(r.embedding)}</code> · scale ${fmt(r.scale)} · λ ${r.lambda} · ${r.noiseSamples} noise draws per step · ${r.seconds.toFixed(1)} s</p>`
      + (r.unknownWords?.length ? `<p class="muted">Not in the model's vocabulary, read as the unknown token: ${esc(r.unknownWords.join(', '))}</p>` : '')
      + '<table><thead><tr><th>layer</th><th>mean log σ/scale</th><th>mean H</th><th>steps</th><th>stopped</th><th>s from</th></tr></thead>'
      + `<tbody>${rows.join('')}</tbody></table>`;
  });
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(heading)}</title><style>${STYLE}</style></head>`,
    '<body><main>',
    `<h1>${esc(heading)}</h1>`,
    ...intro.map((p) => `<p>${esc(p)}</p>`),
    `<figure>${figure}</figure>`,
    ...tables,
    '</main></body></html>',
    '',
  ].join('\n');
}
