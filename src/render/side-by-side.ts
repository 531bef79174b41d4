import type { OverlayOptions as SharpLayer } from 'sharp';
import type { Tensor } from '../tensor/tensor.js';
import { GlassboxError } from '../util/errors.js';
import type { Colormap } from './colormap.js';
import { toRgb, type ImageInput, type RgbImage } from './image-input.js';
import { blend, captumScale, prepareMap, type OverlayOptions, type PreparedMap, type Sign } from './image-overlay.js';
import { escapeMarkup as esc } from './markup.js';
import type { Map2d } from './resample.js';
import { formatValue } from './scale.js';

/** One picture of a row: the image alone (no attribution) or a method's map over it. */
export interface Panel {
  image: ImageInput;
  attribution?: Tensor | Map2d;
  caption?: string;
  /** Overrides of the row's overlay options for this panel. */
  options?: OverlayOptions;
}

export interface PanelsOptions extends OverlayOptions {
  /** Integer magnification with nearest-neighbour pixels; default floor(224 / longest side), at least 1 (MNIST 28 px: ×8). */
  zoom?: number;
  /** A colour bar with its numeric range beside each attribution panel; default true. */
  colorbar?: boolean;
  /** One scale for every attribution panel: Captum's threshold over all their values together. */
  sharedScale?: boolean;
  /** A line of text above the row. */
  title?: string;
  /** Caption text size in pixels; default 14. */
  fontSize?: number;
}

/** Where things go on the canvas; exported so tests can check sizes without decoding. */
export interface PanelsLayout {
  width: number;
  height: number;
  panels: { left: number; top: number; width: number; height: number; bar?: { left: number; width: number } }[];
}

const MARGIN = 16;
const GAP = 24;
const BAR_GAP = 8;
const BAR_WIDTH = 12;
const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

/**
 * Panels side by side in one PNG: e.g. the original, then method A, method B over it, each with
 * a caption above and a colour bar beside it. Pixels stay crisp (nearest-neighbour zoom); text is
 * an SVG layer that sharp rasterises with the system's fonts (DejaVu here).
 */
export async function renderPanelsPng(panels: readonly Panel[], options: PanelsOptions = {}): Promise<Buffer> {
  if (panels.length === 0) throw new GlassboxError('bad-input', 'nothing to draw: no panels');
  const drawn = drawPanels(panels, options);
  const zoom = options.zoom ?? defaultZoom(drawn.map((d) => d.pixels));
  if (!(Number.isInteger(zoom) && zoom >= 1)) throw new GlassboxError('bad-input', `zoom must be a positive integer, got ${zoom}`);
  const fontSize = options.fontSize ?? 14;
  const layout = layoutPanels(drawn, zoom, fontSize, options);
  const layers: SharpLayer[] = [];
  const text: string[] = [];
  if (options.title !== undefined) {
    text.push(svgText(MARGIN, MARGIN + fontSize * 1.1, options.title, fontSize * 1.15, 'start', 600));
  }
  drawn.forEach((d, i) => {
    const box = layout.panels[i]!;
    const px = zoomNearest(d.pixels, zoom);
    layers.push({ input: Buffer.from(px.data.buffer, px.data.byteOffset, px.data.byteLength), raw: { width: px.width, height: px.height, channels: 3 }, left: box.left, top: box.top });
    if (d.caption !== undefined) {
      text.push(svgText(box.left + box.width / 2, box.top - 8, ellipsize(d.caption, Math.round(2.5 * box.width), fontSize), fontSize, 'middle'));
    }
    if (box.bar && d.colormap) {
      const bar = colorBar(d.colormap, box.bar.width, box.height);
      layers.push({ input: Buffer.from(bar.data.buffer, bar.data.byteOffset, bar.data.byteLength), raw: { width: bar.width, height: bar.height, channels: 3 }, left: box.bar.left, top: box.top });
      const x = box.bar.left + box.bar.width + 4;
      const small = Math.round(fontSize * 0.8);
      const [top, mid, bottom] = barLabels(d.sign!, d.scale!);
      text.push(svgText(x, box.top + small * 0.8, top, small, 'start'));
      if (mid !== undefined) text.push(svgText(x, box.top + box.height / 2 + small * 0.35, mid, small, 'start'));
      text.push(svgText(x, box.top + box.height, bottom, small, 'start'));
    }
  });
  if (text.length) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}">${text.join('')}</svg>`;
    layers.push({ input: Buffer.from(svg), left: 0, top: 0 });
  }
  // Loaded on first use: the HTML and terminal renderers (and the CLI without --png) need no native image library.
  const { default: sharp } = await import('sharp');
  return sharp({ create: { width: layout.width, height: layout.height, channels: 3, background: '#ffffff' } })
    .composite(layers)
    .removeAlpha() // the SVG text layer makes the composite RGBA; the picture itself is opaque
    .png()
    .toBuffer();
}

/** One image with its attribution blended over it, a colour bar and an optional caption. */
export async function renderOverlayPng(
  image: ImageInput,
  attribution: Tensor | Map2d,
  options: PanelsOptions & { caption?: string } = {},
): Promise<Buffer> {
  const panel: Panel = { image, attribution };
  if (options.caption !== undefined) panel.caption = options.caption;
  return renderPanelsPng([panel], options);
}

interface DrawnPanel {
  pixels: RgbImage;
  caption?: string;
  scale?: number;
  sign?: Exclude<Sign, 'auto'>;
  colormap?: Colormap;
}

function drawPanels(panels: readonly Panel[], options: PanelsOptions): DrawnPanel[] {
  const prepared: (PreparedMap | undefined)[] = panels.map((p) => (p.attribution ? prepareMap(p.image, p.attribution, { ...options, ...p.options }) : undefined));
  let shared: number | undefined;
  if (options.sharedScale) {
    const all = prepared.filter((m): m is PreparedMap => m !== undefined).map((m) => m.selected);
    const joined = new Float32Array(all.reduce((n, a) => n + a.length, 0));
    all.reduce((at, a) => (joined.set(a, at), at + a.length), 0);
    shared = captumScale(joined, options.outlierPerc);
  }
  return panels.map((p, i) => {
    const m = prepared[i];
    const caption = p.caption === undefined ? {} : { caption: p.caption };
    if (!m) return { pixels: toRgb(p.image), ...caption };
    const opts: OverlayOptions = { ...options, ...p.options };
    if (shared !== undefined && p.options?.scale === undefined) opts.scale = shared;
    const o = blend(m, opts);
    return { pixels: o.pixels, scale: o.scale, sign: o.sign, colormap: o.colormap, ...caption };
  });
}

function defaultZoom(images: RgbImage[]): number {
  const longest = Math.max(...images.map((im) => Math.max(im.width, im.height)));
  return Math.max(1, Math.floor(224 / longest));
}

/** Rough width of a label in the caption font (DejaVu Sans averages ~0.6 em a character). */
function textWidth(text: string, fontSize: number): number {
  return Math.ceil(text.length * fontSize * 0.6);
}

export function layoutPanels(drawn: readonly DrawnPanel[], zoom: number, fontSize: number, options: PanelsOptions): PanelsLayout {
  const withBar = options.colorbar ?? true;
  const titleH = options.title === undefined ? 0 : Math.ceil(fontSize * 1.8);
  const captionH = drawn.some((d) => d.caption !== undefined) ? Math.ceil(fontSize * 1.6) : 0;
  const top = MARGIN + titleH + captionH;
  let x = MARGIN;
  let tallest = 0;
  const panels = drawn.map((d) => {
    const w = d.pixels.width * zoom;
    const h = d.pixels.height * zoom;
    let barRoom = 0;
    let bar: { left: number; width: number } | undefined;
    if (withBar && d.colormap) {
      const labels = barLabels(d.sign!, d.scale!).filter((l): l is string => l !== undefined);
      bar = { left: BAR_GAP, width: BAR_WIDTH };
      barRoom = BAR_GAP + BAR_WIDTH + 4 + Math.max(...labels.map((l) => textWidth(l, Math.round(fontSize * 0.8))));
    }
    // A caption wider than its panel widens the column (centred over the panel), up to 2.5× the panel.
    const captionW = d.caption === undefined ? 0 : Math.min(textWidth(d.caption, fontSize), Math.round(2.5 * w));
    const pad = Math.max(0, Math.ceil((captionW - w) / 2));
    const left = x + pad;
    const box: PanelsLayout['panels'][number] = { left, top, width: w, height: h };
    if (bar) box.bar = { left: left + w + bar.left, width: bar.width };
    x = left + w + Math.max(barRoom, pad) + GAP;
    tallest = Math.max(tallest, h);
    return box;
  });
  const titleW = options.title === undefined ? 0 : MARGIN * 2 + textWidth(options.title, fontSize * 1.15);
  return { width: Math.max(x - GAP + MARGIN, titleW), height: top + tallest + MARGIN, panels };
}

function barLabels(sign: Exclude<Sign, 'auto'>, scale: number): [string, string | undefined, string] {
  const f = (v: number): string => formatValue(v, scale);
  if (sign === 'all') return [f(scale), '0', f(-scale)];
  if (sign === 'negative') return [f(-scale), undefined, '0'];
  return [f(scale).replace('+', ''), undefined, '0'];
}

/** A vertical colour bar, the map's t = 1 end at the top (largest value), with a 1-pixel gray frame. */
function colorBar(cmap: Colormap, width: number, height: number): RgbImage {
  const data = new Uint8ClampedArray(width * height * 3);
  for (let y = 0; y < height; y++) {
    const t = height === 1 ? 1 : 1 - y / (height - 1);
    const c = cmap.at(t);
    for (let x = 0; x < width; x++) {
      const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1;
      const o = (y * width + x) * 3;
      data[o] = edge ? 128 : c[0];
      data[o + 1] = edge ? 128 : c[1];
      data[o + 2] = edge ? 128 : c[2];
    }
  }
  return { width, height, data };
}

export function zoomNearest(image: RgbImage, zoom: number): RgbImage {
  if (zoom === 1) return image;
  const width = image.width * zoom;
  const height = image.height * zoom;
  const data = new Uint8ClampedArray(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sy = Math.floor(y / zoom);
    for (let x = 0; x < width; x++) {
      const s = (sy * image.width + Math.floor(x / zoom)) * 3;
      const o = (y * width + x) * 3;
      data[o] = image.data[s]!;
      data[o + 1] = image.data[s + 1]!;
      data[o + 2] = image.data[s + 2]!;
    }
  }
  return { width, height, data };
}

function ellipsize(text: string, width: number, fontSize: number): string {
  const max = Math.max(1, Math.floor(width / (fontSize * 0.6)));
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

function svgText(x: number, y: number, text: string, size: number, anchor: 'start' | 'middle', weight = 400): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-family="${FONT}" font-size="${size.toFixed(1)}" font-weight="${weight}" fill="#111" text-anchor="${anchor}">${esc(text)}</text>`;
}
