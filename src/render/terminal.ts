import { ATTRIBUTION_DIVERGING, textColorOn, type Colormap, type Rgb } from './colormap.js';
import { formatValue, normalise } from './scale.js';
import { checkRow, rowScales, wordSpans, type ScaleMode, type TokenRow } from './tokens.js';

/** 24-bit SGR colours, the xterm 256-colour palette, or no colour (values printed as numbers). */
export type ColorMode = 'truecolor' | '256' | 'none';

export interface ColorModeContext {
  /** true/false force colour on/off; a ColorMode picks one. Default: detect. */
  color?: boolean | ColorMode;
  env?: Record<string, string | undefined>;
  isTTY?: boolean;
}

/**
 * The colour mode for a stream: off when asked, when NO_COLOR is set to anything non-empty
 * (no-color.org), when TERM is 'dumb' or the stream is not a terminal (unless colour is forced);
 * 24-bit when COLORTERM says 'truecolor' or '24bit', else 256 colours.
 */
export function detectColorMode(ctx: ColorModeContext = {}): ColorMode {
  const env = ctx.env ?? process.env;
  if (ctx.color === 'truecolor' || ctx.color === '256' || ctx.color === 'none') return ctx.color;
  if (ctx.color === false) return 'none';
  if (ctx.color !== true) {
    if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 'none';
    if (env.TERM === 'dumb' || !(ctx.isTTY ?? Boolean(process.stdout.isTTY))) return 'none';
  }
  const colorterm = (env.COLORTERM ?? '').toLowerCase();
  return colorterm === 'truecolor' || colorterm === '24bit' ? 'truecolor' : '256';
}

export interface TerminalOptions extends ColorModeContext {
  /** The class explained, named in the legend. */
  target?: string;
  /** See ScaleMode ('group' acts as 'shared': the terminal picture is one group); default 'row'. */
  scale?: ScaleMode;
  colormap?: Colormap;
  /** Print the legend line; default true. */
  legend?: boolean;
}

const RESET = '\x1b[0m';

/**
 * Token attributions for a terminal, one line per row: `label  tokens  (max |v| s)`. In colour
 * each token sits on its colour (red toward the target, blue against, intensity |v| / scale)
 * and the tokens of one word are underlined together; without colour each token is followed by
 * its value in parentheses and a multi-token word is bracketed.
 */
export function renderTokensTerminal(rows: readonly TokenRow[], options: TerminalOptions = {}): string {
  rows.forEach(checkRow);
  const mode = detectColorMode(options);
  const cmap = options.colormap ?? ATTRIBUTION_DIVERGING;
  const scaleMode = options.scale === 'group' ? 'shared' : (options.scale ?? 'row');
  const scales = rowScales([rows], scaleMode)[0]!;
  const width = Math.max(0, ...rows.map((r) => (r.label ?? '').length));
  const lines = rows.map((row, i) => {
    const s = scales[i]!;
    const label = row.label === undefined ? '' : `${row.label.padEnd(width)}  `;
    const words = wordSpans(row).map((span) => {
      const merged = span.end - span.start > 1;
      const parts: string[] = [];
      for (let k = span.start; k < span.end; k++) parts.push(cell(row.tokens[k]!, row.values[k]!, s, mode, cmap, merged));
      return mode === 'none' ? (merged ? `[${parts.join(' ')}]` : parts[0]!) : parts.join('');
    });
    const note = row.note === undefined ? '' : `  ${printable(row.note)}`;
    return `${printable(label)}${words.join(' ')}  (max |v| ${formatValue(s, s).replace('+', '')})${note}`;
  });
  if (options.legend ?? true) lines.push(legendLine(mode, cmap, scaleMode, scales, options.target));
  return `${lines.join('\n')}\n`;
}

function cell(token: string, value: number, scale: number, mode: ColorMode, cmap: Colormap, underline: boolean): string {
  const text = printable(token);
  if (mode === 'none') return `${text}(${formatValue(value, scale)})`;
  const bg = cmap.at(0.5 + 0.5 * normalise(value, scale));
  return `${sgr(bg, textColorOn(bg), mode, underline)} ${text} ${RESET}`;
}

function sgr(bg: Rgb, fg: Rgb, mode: Exclude<ColorMode, 'none'>, underline = false): string {
  const u = underline ? '4;' : '';
  if (mode === 'truecolor') return `\x1b[${u}48;2;${bg[0]};${bg[1]};${bg[2]};38;2;${fg[0]};${fg[1]};${fg[2]}m`;
  return `\x1b[${u}48;5;${xterm256(bg)};38;5;${xterm256(fg)}m`;
}

function legendLine(mode: ColorMode, cmap: Colormap, scaleMode: ScaleMode, scales: number[], target: string | undefined): string {
  const toward = target === undefined ? 'the target' : `"${printable(target)}"`;
  const shared = typeof scaleMode === 'number' || scaleMode === 'shared';
  const s = scales[0] ?? 0;
  const [lo, hi] = shared ? [formatValue(-s, s), formatValue(s, s)] : ['-max', '+max'];
  const scaleText = shared ? 'one scale for all rows' : 'each row on its own scale';
  if (mode === 'none') return `legend: token(value); + pushes toward ${toward}, - against; ${scaleText}`;
  const steps = [0, 0.25, 0.5, 0.75, 1].map((t) => `${sgr(cmap.at(t), cmap.at(t), mode)}  ${RESET}`).join('');
  return `legend: ${lo} ${steps} ${hi}  red pushes toward ${toward}, blue against; ${scaleText}`;
}

/** Control characters in user text would drive the terminal; show them as \xNN instead. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const CUBE = [0, 95, 135, 175, 215, 255];

/** The nearest xterm-256 palette entry: the 6×6×6 colour cube (16–231) or the gray ramp (232–255). */
export function xterm256(c: Rgb): number {
  const idx = (v: number): number => {
    let best = 0;
    for (let i = 1; i < CUBE.length; i++) if (Math.abs(CUBE[i]! - v) < Math.abs(CUBE[best]! - v)) best = i;
    return best;
  };
  const [r, g, b] = [idx(c[0]), idx(c[1]), idx(c[2])];
  const cube: Rgb = [CUBE[r]!, CUBE[g]!, CUBE[b]!];
  const gray = Math.max(0, Math.min(23, Math.round(((c[0] + c[1] + c[2]) / 3 - 8) / 10)));
  const grayRgb: Rgb = [8 + 10 * gray, 8 + 10 * gray, 8 + 10 * gray];
  const d = (a: Rgb): number => (a[0] - c[0]) ** 2 + (a[1] - c[1]) ** 2 + (a[2] - c[2]) ** 2;
  return d(grayRgb) < d(cube) ? 232 + gray : 16 + 36 * r + 6 * g + b;
}
