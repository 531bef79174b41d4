/**
 * The measure in the terminal: words down, layers across (a sentence is longer than a model is
 * deep), σ / scale in each cell (1: forgotten; small: kept) or log σ, and each layer's mean.
 */
import { mean, relativeLogSigma, type InformationRecord } from './record.js';

export interface TableOptions {
  /** Print log(σ / scale) instead of σ / scale. */
  log?: boolean;
}

export function informationTable(record: InformationRecord, options: TableOptions = {}): string {
  const values = record.layers.map((l) => relativeLogSigma(record, l).map((v) => (options.log ? v : Math.exp(v))));
  const cell = (v: number) => (options.log ? v.toFixed(2) : v < 0.001 ? v.toExponential(1) : v.toFixed(3));
  const header = ['word', ...record.layers.map((l) => l.name)];
  const rows = record.tokens.map((t, i) => [t, ...values.map((col) => cell(col[i]!))]);
  const means = ['mean', ...values.map((col) => cell(mean(col)))];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length), means[c]!.length));
  const line = (r: readonly string[]) => `  ${r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ')}`;
  const rule = `  ${widths.map((w) => '─'.repeat(w)).join('  ')}`;
  const what = options.log ? 'log(σ / scale): 0 = forgotten, more negative = kept' : 'σ / scale: 1 = forgotten, near 0 = kept';
  return [
    `${record.model}  ·  scale ${Number(record.scale.toPrecision(4))}  ·  ${what}`,
    line(header), rule, ...rows.map(line), rule, line(means),
  ].join('\n');
}
