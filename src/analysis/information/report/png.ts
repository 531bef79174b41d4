/** The report's figure as a PNG: the same SVG the HTML page shows, rasterised by sharp (librsvg). */
import type { InformationRecord } from './record.js';
import { informationSvg, type FigureOptions } from './svg.js';

export interface PngOptions extends FigureOptions {
  /** Pixels per SVG unit (default 2: crisp text on high-density screens and in documents). */
  pixelRatio?: number;
}

export async function informationPng(records: readonly InformationRecord[], options: PngOptions = {}): Promise<Buffer> {
  return svgToPng(informationSvg(records, options).svg, options.pixelRatio ?? 2);
}

export async function svgToPng(svg: string, pixelRatio = 2): Promise<Buffer> {
  // Loaded on first use: nothing else here needs the native image library.
  const { default: sharp } = await import('sharp');
  // librsvg renders at 72 dpi per SVG unit; density scales that.
  return sharp(Buffer.from(svg), { density: 72 * pixelRatio }).flatten({ background: '#ffffff' }).png().toBuffer();
}
