import { writeFileAtomic } from '../onnx/io.js';
import type { CliIO } from './context.js';

/**
 * Writes a JSON result: to stdout when `target` is true (bare --json), to a file when it is a
 * path. Files are written atomically, so an interrupted run never leaves half a file.
 */
export function writeJson(io: CliIO, target: string | boolean, value: unknown): void {
  const text = `${JSON.stringify(value, null, target === true ? 2 : undefined)}\n`;
  if (target === true || target === '-') io.stdout(text);
  else writeFileAtomic(target as string, text);
}

/** Left-aligned columns for terminal tables. */
export function columns(rows: readonly string[][], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

/** 1234567 -> "1,234,567" */
export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

export function bytesLabel(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
