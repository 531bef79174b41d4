/**
 * An explanation — one input, one or more methods — and what it becomes: a JSON document for
 * programs, an HTML page (token heatmap for text, image panels otherwise) and PNG panels.
 */
import { tensorToJson } from '../tensor/json.js';
import { Tensor } from '../tensor/tensor.js';
import type { ConfiguredMethod } from '../attribution/methods.js';
import type { Target } from '../attribution/types.js';
import type { WordAttribution } from '../attribution/text/merge.js';
import { escapeMarkup } from '../render/markup.js';
import { formatValue } from '../render/scale.js';
import { renderPanelsPng, type Panel } from '../render/side-by-side.js';
import { renderTokenHeatmapHtml } from '../render/token-heatmap-html.js';
import type { TokenRow } from '../render/tokens.js';
import { GlassboxError } from '../util/errors.js';
import { targetLabel, type Prediction } from './params.js';
import type { Subject } from './subject.js';

/** One method's answer. */
export interface MethodResult {
  configured: ConfiguredMethod;
  /** The layer of a layer or neuron method. */
  layer?: string;
  attributions: Tensor;
  delta?: Float64Array;
  seconds: number;
}

/** One input explained by one or more methods. */
export interface Explanation {
  modelLabel: string;
  subject: Subject;
  target: Target;
  prediction?: Prediction;
  results: MethodResult[];
}

/** Per-token values and words of a text explanation (padding left out). */
export function textView(subject: Subject, r: MethodResult): { row: TokenRow; words: WordAttribution[] } | undefined {
  const text = subject.text;
  if (!text || r.attributions.rank !== 3 || !r.configured.inputShaped) return undefined;
  const { encoded, model } = text;
  let values = model.perToken(r.attributions, encoded);
  // A perturbation method gives every dimension of a token the token's whole effect (its feature
  // mask groups them), so the token's value is their mean, not their sum.
  if (r.configured.family === 'perturbation') values = values.map((v) => v / r.attributions.shape[2]!);
  const { tokens, wordIds } = encoded.encoding;
  const note = r.delta ? `δ ${formatValue(r.delta[0]!)}` : undefined;
  return {
    row: { label: r.configured.title, tokens: tokens.slice(0, encoded.length), values, wordIds: wordIds.slice(0, encoded.length), ...(note ? { note } : {}) },
    words: model.words(values, encoded),
  };
}

export function summaryLines(e: Explanation): string[] {
  const classes = e.subject.classes;
  const target = targetLabel(e.target, classes);
  const lines = [`${e.results.map((r) => r.configured.title).join(', ')} · ${e.modelLabel} · ${e.subject.source}`];
  if (e.prediction) {
    lines.push(`predicted: ${e.prediction.classes.map((c, r) => `${classes?.[c] ?? c} (p ${e.prediction!.probabilities[r]!.toFixed(3)})`).join(', ')}`);
  }
  if (target !== undefined) lines.push(`explaining: ${target}`);
  if (e.subject.label !== undefined) lines.push(`label: ${classes?.[e.subject.label] ?? e.subject.label}`);
  const unknown = e.subject.text?.encoded.unknown ?? [];
  if (unknown.length) lines.push(`not in the model's vocabulary, read as the unknown token: ${unknown.join(', ')}`);
  return lines;
}

/** What the attributions are for: the input, or the layer a layer method maps. */
export function attributedTo(e: Explanation, r: MethodResult): string {
  return r.configured.inputShaped || !r.layer ? e.subject.explainable.input : r.layer;
}

export function rowSums(t: Tensor): number[] {
  const rows = t.shape[0] ?? 1;
  const per = t.size / rows;
  const v = t.toNumbers();
  return Array.from({ length: rows }, (_, r) => v.slice(r * per, (r + 1) * per).reduce((a, b) => a + b, 0));
}

/** `{method, params, target, attribution, delta?}` for one method; an array of them for several. */
export function explanationJson(e: Explanation): unknown {
  const docs = e.results.map((r) => resultJson(e, r));
  return docs.length === 1 ? docs[0] : docs;
}

function resultJson(e: Explanation, r: MethodResult): Record<string, unknown> {
  const view = textView(e.subject, r);
  const hidden = new Set(['onProgress', 'additionalForwardArgs', 'target']);
  const params = Object.fromEntries(Object.entries(r.configured.options).filter(([k]) => !hidden.has(k)).map(([k, v]) => [k, describeParam(v)]));
  const classes = e.subject.classes;
  return {
    method: r.configured.name,
    title: r.configured.title,
    model: e.modelLabel,
    input: e.subject.source,
    attributedTo: attributedTo(e, r),
    output: e.subject.explainable.output,
    params: r.layer ? { layer: r.layer, ...params } : params,
    target: e.target ?? null,
    ...(e.prediction ? { prediction: e.prediction.classes.map((c, i) => ({ class: c, ...(classes?.[c] !== undefined ? { label: classes[c] } : {}), probability: e.prediction!.probabilities[i] })) } : {}),
    ...(e.subject.label !== undefined ? { label: e.subject.label } : {}),
    attribution: tensorToJson(r.attributions),
    ...(r.delta ? { delta: Array.from(r.delta) } : {}),
    ...(e.subject.text?.encoded.unknown.length ? { unknownWords: e.subject.text.encoded.unknown } : {}),
    ...(view ? { tokens: view.row.tokens.map((token, i) => ({ token, value: view.row.values[i], word: view.row.wordIds?.[i] ?? null })), words: view.words.map(({ word, value }) => ({ word, value })) } : {}),
    seconds: r.seconds,
  };
}

/** Tensors in the options become their shape (a baseline, a mask): the JSON names the settings, not the data. */
function describeParam(v: unknown): unknown {
  if (v instanceof Tensor) return { tensor: v.shape };
  if (Array.isArray(v) && v.every((x) => x instanceof Tensor)) return v.map(describeParam);
  return v;
}

/** An HTML page: the token heatmap (a row per method) for text, the image panels inlined otherwise. */
export async function explanationHtml(e: Explanation): Promise<string> {
  const title = `${e.results.map((r) => r.configured.title).join(' · ')}: ${e.modelLabel}`;
  const target = targetLabel(e.target, e.subject.classes);
  let html: string;
  if (e.subject.text) {
    const rows = e.results.map((r) => {
      const view = textView(e.subject, r);
      if (!view) throw new GlassboxError('bad-option', `${r.configured.name} gives attributions for layer "${r.layer}", not one value per token; --html draws token attributions`);
      return view.row;
    });
    const c = e.prediction?.classes[0];
    const predicted = c !== undefined ? { label: e.subject.classes?.[c] ?? String(c), probability: e.prediction!.probabilities[0]! } : undefined;
    html = renderTokenHeatmapHtml([{ title: e.subject.text.encoded.text, rows, ...(predicted ? { predicted } : {}) }], { title, ...(target ? { target } : {}), ...(rows.length > 1 ? { scale: 'row' as const } : {}) });
  } else {
    const png = await explanationPng(e, 'html');
    html = `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeMarkup(title)}</title></head><body style="font-family: sans-serif"><h1>${escapeMarkup(title)}</h1><p>${summaryLines(e).map(escapeMarkup).join('<br>')}</p><img alt="attributions over the input" src="data:image/png;base64,${png.toString('base64')}"></body></html>\n`;
  }
  return html;
}

/** A PNG of each input row as the image, then each method's map over it (`flag` names the output in errors). */
export async function explanationPng(e: Explanation, flag: 'html' | 'png' = 'png'): Promise<Buffer> {
  const image = e.subject.image;
  if (!image) {
    throw new GlassboxError('bad-option', e.subject.text
      ? `--${flag} draws images; for text use --html`
      : `--${flag} draws images, and the input [${e.subject.input.shape.join(', ')}] is not one ([batch, 1 or 3, height, width])`);
  }
  for (const r of e.results) {
    if (r.attributions.rank < 3) throw new GlassboxError('bad-option', `${r.configured.name} gave attributions of shape [${r.attributions.shape.join(', ')}], which cannot be drawn over the image`);
  }
  const panels: Panel[] = [];
  const rows = image.shape[0]!;
  const classes = e.subject.classes;
  for (let i = 0; i < rows; i++) {
    const target = Array.isArray(e.target) ? e.target[i] : e.target;
    const row = image.sliceBatch(i, i + 1);
    panels.push({ image: row, caption: rows > 1 ? `input ${i}` : 'input' });
    for (const r of e.results) {
      panels.push({ image: row, attribution: r.attributions.sliceBatch(i, i + 1), caption: target === undefined ? r.configured.title : `${r.configured.title} → ${classes?.[target as number] ?? target}` });
    }
  }
  return renderPanelsPng(panels, { title: `${e.modelLabel} · ${e.subject.source}` });
}
