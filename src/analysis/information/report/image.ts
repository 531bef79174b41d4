/**
 * An image's measure as pictures: the image, then for each layer what the layer keeps of it
 * drawn over it (bright: kept, σ small; nothing: forgotten, σ at its ceiling), one colour scale
 * for all layers so that they compare; and a few lines per layer for the terminal.
 */
import { toRgb } from '../../../render/image-input.js';
import { renderPanelsPng, type Panel } from '../../../render/side-by-side.js';
import { Tensor } from '../../../tensor/tensor.js';
import { GlassboxError } from '../../../util/errors.js';
import { mean, relativeLogSigma, type InformationRecord } from './record.js';

/**
 * A layer's σ as a picture [1, 1, H, W]: −log(σ / scale) at every pixel of each patch, 0 where
 * the layer has forgotten the patch (σ at its ceiling), larger where it keeps it.
 */
export function keptMap(record: InformationRecord, layer: number): Tensor {
  const image = imageOf(record);
  const sigma = record.layers[layer]!.sigma;
  const out = new Float32Array(image.height * image.width);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const unit = Math.floor(y / image.patch) * image.across + Math.floor(x / image.patch);
      out[y * image.width + x] = -Math.log(sigma[unit]! / record.scale);
    }
  }
  return new Tensor('float32', [1, 1, image.height, image.width], out);
}

/** The image, then each layer's kept map over it, in one PNG. */
export async function informationImagePng(record: InformationRecord, image: Tensor, title?: string): Promise<Buffer> {
  const layout = imageOf(record);
  const panels: Panel[] = [
    { image, caption: 'input' },
    ...record.layers.map((l, i) => ({ image, attribution: keptMap(record, i), caption: `${l.name}: mean ${l.meanLogSigma.toFixed(2)}` })),
  ];
  return renderPanelsPng(panels, {
    sign: 'positive', sharedScale: true,
    title: title ?? `${record.model} · ${record.text}: what each layer keeps (bright: kept; −log(σ/scale) per ${layout.patch}×${layout.patch} patch)`,
  });
}

/** Per layer: the mean log(σ / scale) and the patches kept best and worst (an image has too many units for a table). */
export function informationSummary(record: InformationRecord): string {
  const width = Math.max(5, ...record.layers.map((l) => l.name.length));
  const lines = record.layers.map((l) => {
    const v = relativeLogSigma(record, l);
    const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
    const patch = ([x, i]: readonly [number, number]) => `${record.tokens[i]} (${x.toFixed(2)})`;
    return `  ${l.name.padEnd(width)}  ${mean(v).toFixed(2).padStart(6)}   kept best ${patch(order[0]!)}, forgotten most ${patch(order.at(-1)!)}`;
  });
  const layout = imageOf(record);
  return [
    `${record.model}  ·  scale ${Number(record.scale.toPrecision(4))}  ·  ${layout.down}×${layout.across} patches of ${layout.patch}×${layout.patch} px (row,col)  ·  log(σ / scale): 0 = forgotten`,
    `  ${'layer'.padEnd(width)}  ${'mean'.padStart(6)}`,
    ...lines,
  ].join('\n');
}

function imageOf(record: InformationRecord): NonNullable<InformationRecord['image']> {
  if (!record.image) throw new GlassboxError('bad-input', `${record.model}: the record is not of an image`);
  return record.image;
}

/** Several PNGs one above the other on white (one model's pictures per row for --compare). */
export async function stackPngs(pngs: readonly Buffer[]): Promise<Buffer> {
  if (pngs.length === 0) throw new GlassboxError('bad-input', 'nothing to draw: no pictures');
  if (pngs.length === 1) return pngs[0]!;
  const { default: sharp } = await import('sharp');
  const sizes = await Promise.all(pngs.map((p) => sharp(p).metadata()));
  const width = Math.max(...sizes.map((m) => m.width ?? 0));
  const tops = sizes.map((_, i) => sizes.slice(0, i).reduce((a, m) => a + (m.height ?? 0), 0));
  const height = tops.at(-1)! + (sizes.at(-1)!.height ?? 0);
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite(pngs.map((input, i) => ({ input, left: 0, top: tops[i]! })))
    .png()
    .toBuffer();
}

/** An image tensor [1, C, H, W] (values 0…1) as a PNG data URL at its own size. */
export async function inputPicture(image: Tensor): Promise<string> {
  const { default: sharp } = await import('sharp');
  const rgb = toRgb(image);
  const png = await sharp(Buffer.from(rgb.data.buffer, rgb.data.byteOffset, rgb.data.byteLength), { raw: { width: rgb.width, height: rgb.height, channels: 3 } }).png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}
