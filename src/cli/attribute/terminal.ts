/** `glassbox attribute` in the terminal: coloured tokens for text, the largest values otherwise. */
import type { Tensor } from '../../tensor/tensor.js';
import { formatValue } from '../../render/scale.js';
import { renderTokensTerminal } from '../../render/terminal.js';
import { attributedTo, rowSums, summaryLines, textView, type Explanation } from '../../explain/explanation.js';
import { targetLabel } from '../../explain/params.js';
import type { CliIO } from '../context.js';
import { columns } from '../output.js';

export function printTerminal(io: CliIO, e: Explanation, options: { color?: boolean; drewImage?: boolean } = {}): void {
  const { color } = options;
  const out = [...summaryLines(e)];
  const target = targetLabel(e.target, e.subject.classes);
  const views = e.results.map((r) => textView(e.subject, r));
  const rows = views.filter((v) => v !== undefined).map((v) => v.row);
  if (rows.length) {
    out.push('', renderTokensTerminal(rows, { ...(color !== undefined ? { color } : { isTTY: io.isTTY }), ...(target ? { target } : {}) }).trimEnd());
  }
  e.results.forEach((r, i) => {
    const view = views[i];
    out.push('', `${r.configured.title}:`);
    if (view) {
      const ranked = [...view.words].sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).slice(0, 8);
      out.push('words by |attribution|:', columns(ranked.map((w) => [w.word, formatValue(w.value)])));
    } else {
      out.push(`attributions: [${r.attributions.shape.join(', ')}] for "${attributedTo(e, r)}"`, ...largest(r.attributions));
    }
    out.push(`sum of attributions: ${rowSums(r.attributions).map(formatValue).join(', ')}`);
    if (r.delta) out.push(`convergence delta (sum − (F(x) − F(baseline))): ${Array.from(r.delta, formatValue).join(', ')}`);
    out.push(`time: ${r.seconds.toFixed(2)} s`);
  });
  if (e.subject.image && !options.drewImage) out.push('', '(draw them over the image with --png out.png)');
  io.stdout(`${out.join('\n')}\n`);
}

/** The ten largest |values| with their indices. */
function largest(t: Tensor, count = 10): string[] {
  const values = t.toNumbers();
  const order = Array.from(values.keys()).sort((a, b) => Math.abs(values[b]!) - Math.abs(values[a]!)).slice(0, count);
  const strides = t.shape.map((_, d) => t.shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const rows = order.map((flat) => [`[${strides.map((s, d) => Math.floor(flat / s) % t.shape[d]!).join(', ')}]`, formatValue(values[flat]!)]);
  return ['largest |attribution|:', columns(rows)];
}

