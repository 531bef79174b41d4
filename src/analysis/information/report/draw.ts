/** Small SVG drawing helpers shared by the information figures. */
import { escapeMarkup as esc } from '../../../render/markup.js';

export interface Svg {
  svg: string;
  width: number;
  height: number;
}

export const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

/** Width of text in the figure's font (DejaVu Sans averages about 0.6 em a character). */
export function textWidth(text: string, size: number): number {
  return Math.ceil(text.length * size * 0.6);
}

export function text(x: number, y: number, content: string, size: number, o: { anchor?: 'start' | 'middle' | 'end'; weight?: number; fill?: string; pointer?: boolean } = {}): string {
  const attrs = [`x="${x.toFixed(1)}"`, `y="${y.toFixed(1)}"`, `font-size="${size}"`, `fill="${o.fill ?? '#111'}"`];
  if (o.anchor && o.anchor !== 'start') attrs.push(`text-anchor="${o.anchor}"`);
  if (o.weight) attrs.push(`font-weight="${o.weight}"`);
  // Cell values must not swallow the hover of the cell under them.
  if (o.pointer === false) attrs.push('pointer-events="none"');
  return `<text ${attrs.join(' ')}>${esc(content)}</text>`;
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : Number(v.toPrecision(4)).toString();
}

