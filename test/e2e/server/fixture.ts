/**
 * A run store for the dashboard's tests, made the way a user makes one: `glassbox train` (in
 * process) on a sentiment Transformer and an MNIST CNN, plus layer-information analyses written
 * with RunStore.putAnalysis in the contract the demo writes (synthetic numbers: the measure
 * itself is another issue's).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputPicture } from '../../../src/analysis/information/report/image.js';
import { loadDataset } from '../../../src/data/index.js';
import type { InformationResult } from '../../../src/server/api-types.js';
import { RunStore, type RunInfo } from '../../../src/store/store.js';
import { cli } from '../../helpers/cli.js';

export interface StoreFixture {
  dir: string;
  text: RunInfo;
  image: RunInfo;
  /** Checkpoint steps of the text run. */
  textSteps: number[];
  imageSteps: number[];
}

export const INFO_TEXT = 'a wonderful film with a terrible ending';
export const INFO_IMAGE = 'test example 0 of mnist (label: 7)';
/** The image information's patches: 28 × 28 pixels in 7 × 7 patches. */
export const INFO_PATCHES = 16;

/** `size: 'small'` for API tests (about 2 s); 'medium' trains a little longer for screenshots worth looking at. */
export async function makeStore(size: 'small' | 'medium' = 'small'): Promise<StoreFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-serve-'));
  const text = size === 'small'
    ? ['--epochs', '3', '--train-limit', '300', '--test-limit', '50']
    : ['--epochs', '3', '--train-limit', '1200', '--test-limit', '200'];
  const image = size === 'small'
    ? ['--epochs', '1', '--train-limit', '500', '--test-limit', '100']
    : ['--epochs', '1', '--train-limit', '2000', '--test-limit', '200'];
  await train(['--recipe', 'transformer', '--dataset', 'sentiment', '--set', 'layers=1', ...text, '--store', dir]);
  await train(['--recipe', 'cnn', '--dataset', 'mnist', ...image, '--store', dir]);
  const store = RunStore.open(dir, { create: false });
  try {
    const runs = store.listRuns();
    const textRun = runs.find((r) => r.dataset === 'sentiment')!;
    const imageRun = runs.find((r) => r.dataset === 'mnist')!;
    const textSteps = store.listCheckpoints(textRun.id).map((c) => c.step);
    const imageSteps = store.listCheckpoints(imageRun.id).map((c) => c.step);
    for (const step of textSteps) store.putAnalysis({ run: textRun.id, step, kind: 'information', params: { text: INFO_TEXT }, result: information(INFO_TEXT, step / textSteps.at(-1)!) });
    store.putAnalysis({ run: imageRun.id, step: imageSteps.at(-1)!, kind: 'information', params: { input: INFO_IMAGE }, result: await imageInformation() });
    return { dir, text: textRun, image: imageRun, textSteps, imageSteps };
  } finally {
    store.close();
  }
}

async function train(args: string[]): Promise<void> {
  const result = await cli('train', ...args);
  if (result.code !== 0) throw new Error(`glassbox train failed: ${result.stderr}`);
}

/**
 * Layer information shaped like the demo's: σ per word and layer; the task words ("wonderful",
 * "terrible") stay sharp while the others are forgotten with depth, more so as training goes on.
 */
export function information(text: string, progress: number): { tokens: string[]; layers: { name: string; sigma: number[]; entropy: number[] }[] } {
  const tokens = text.split(' ');
  const names = ['embeddings', '/layers.0/attention/Add_output_0', '/layers.0/Add_1_output_0', '/pool/ReduceMean_output_0'];
  const d = 64;
  const layers = names.map((name, l) => {
    const sigma = tokens.map((t, i) => {
      const kept = t === 'wonderful' || t === 'terrible';
      return 0.05 * Math.exp((kept ? 0.15 : 0.9 + 0.1 * (i % 3)) * l * (0.4 + progress));
    });
    return { name, sigma, entropy: sigma.map((s) => (d / 2) * Math.log(2 * Math.PI * Math.E) + d * Math.log(s)) };
  });
  return { tokens, layers };
}

/**
 * Image information shaped like `glassbox information --example 0 --patch 7 --save` writes it:
 * σ per patch and layer (the centre kept, the border forgotten, more so with depth) and the
 * digit as a PNG data URL.
 */
export async function imageInformation(): Promise<InformationResult> {
  const pixels = loadDataset('mnist').test.inputs([0]);
  const picture = await inputPicture(pixels);
  const tokens = Array.from({ length: INFO_PATCHES }, (_, u) => `${Math.floor(u / 4)},${u % 4}`);
  const layers = ['layer1', 'layer2', 'layer3'].map((name, l) => {
    const sigma = tokens.map((_, u) => {
      const [r, c] = [Math.floor(u / 4), u % 4];
      const centre = r > 0 && r < 3 && c > 0 && c < 3;
      return 0.02 * Math.exp((centre ? 0.3 : 1.5) * (l + 1));
    });
    return { name, sigma, entropy: sigma.map((s) => 49 * (0.5 * Math.log(2 * Math.PI * Math.E) + Math.log(s))) };
  });
  return { tokens, layers, scale: 3, image: { height: 28, width: 28, patch: 7, across: 4, down: 4, picture } };
}
