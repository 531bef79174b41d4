/**
 * The image part of the demo: test digits explained by Integrated Gradients at checkpoints
 * across training, and by Grad-CAM on the last convolution at the end — one PNG per digit, the
 * pictures side by side — and what each layer keeps of the first digit (Guan et al.), per patch,
 * at the first and the last checkpoint, saved as 'information' analyses for the dashboard.
 */
import { measureImage } from '../analysis/information/image.js';
import { informationImagePng, inputPicture } from '../analysis/information/report/image.js';
import { explainSubject } from '../explain/explain.js';
import { resolveModel, trainingImages } from '../explain/model-ref.js';
import { resolveSubject, SubjectSessions } from '../explain/subject.js';
import { renderPanelsPng, type Panel } from '../render/side-by-side.js';
import type { RunStore } from '../store/store.js';
import type { Model } from '../onnx/ir/model.js';
import type { Tensor } from '../tensor/tensor.js';
import { spreadCheckpoints } from './checkpoints.js';

export interface DigitPicture {
  example: number;
  label: number;
  /** Predicted class and its probability at each checkpoint, in order. */
  predictions: { step: number; predicted: number; probability: number }[];
  png: Buffer;
}

export interface DigitsStudy {
  runId: string;
  steps: number[];
  digits: DigitPicture[];
  /** What each layer keeps of the first digit at the last checkpoint (Guan et al.), as a PNG. */
  information?: { example: number; step: number; png: Buffer };
}

/** Patches of 4 × 4 pixels (7 × 7 of them on MNIST): a few seconds per checkpoint. */
const INFORMATION_PATCH = 4;

export async function digitsStudy(store: RunStore, runId: string, options: { examples?: readonly number[]; checkpoints?: number; informationCheckpoints?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<DigitsStudy> {
  const checkpoints = spreadCheckpoints(store.listCheckpoints(runId), options.checkpoints ?? 4);
  // Two checkpoints (untrained, trained): each takes about ten seconds on 2 cores.
  const measured = new Set(spreadCheckpoints(checkpoints, options.informationCheckpoints ?? 2).map((c) => c.step));
  let information: DigitsStudy['information'];
  const examples = options.examples ?? [0, 1, 2, 7];
  const last = checkpoints.at(-1)!;
  let layer: string | undefined;
  const cells = examples.map(() => ({ image: undefined as Tensor | undefined, panels: [] as Panel[], predictions: [] as DigitPicture['predictions'], label: 0 }));
  let done = 0;
  for (const checkpoint of checkpoints) {
    options.onProgress?.(done++, checkpoints.length);
    const ref = resolveModel(`${runId}:${checkpoint.step}`, store.dir);
    const sessions = new SubjectSessions();
    try {
      for (const [i, example] of examples.entries()) {
        const subject = await resolveSubject(ref, { example }, sessions);
        layer ??= lastConvBlock(subject.explainable.full);
        const isLast = checkpoint === last;
        // Explain the true class at every checkpoint, so that the pictures are comparable.
        const e = await explainSubject(ref, subject, { methods: isLast && layer ? ['integrated-gradients', 'layer-grad-cam'] : ['integrated-gradients'], target: String(subject.label), upsample: 'bilinear', reluAttributions: true, ...(layer ? { layer } : {}) });
        const cell = cells[i]!;
        if (i === 0 && measured.has(checkpoint.step)) {
          // The first digit's layer information, saved for the dashboard's checkpoint slider.
          const record = await measureImage(subject.explainable, subject.input, subject.extra, `${runId}:${checkpoint.step}`, { layers: 'all', patch: INFORMATION_PATCH, seed: 1, source: subject.source, samples: trainingImages(ref, 32) });
          record.image!.picture = await inputPicture(subject.input);
          store.putAnalysis({ run: runId, step: checkpoint.step, kind: 'information', params: { input: record.text }, result: record });
          if (isLast) information = { example, step: checkpoint.step, png: await informationImagePng(record, subject.input, `test digit ${example}, step ${checkpoint.step}: what each layer keeps (bright: kept)`) };
        }
        cell.label = subject.label!;
        cell.image ??= subject.image!;
        const probability = e.prediction!.probabilities[0]!;
        cell.predictions.push({ step: checkpoint.step, predicted: e.prediction!.classes[0]!, probability });
        const accuracy = checkpoint.metrics?.testAccuracy;
        for (const r of e.results) {
          const when = `step ${checkpoint.step}${accuracy !== undefined ? ` (${(100 * accuracy).toFixed(0)}%)` : ''}`;
          cell.panels.push({ image: cell.image, attribution: r.attributions, caption: r.configured.name === 'layer-grad-cam' ? `Grad-CAM, ${when}` : `IG, ${when}` });
        }
      }
    } finally {
      await sessions.release();
    }
  }
  options.onProgress?.(done, checkpoints.length);
  const digits: DigitPicture[] = [];
  for (const [i, cell] of cells.entries()) {
    const png = await renderPanelsPng([{ image: cell.image!, caption: `test digit ${examples[i]} (a ${cell.label})` }, ...cell.panels], { zoom: 5, fontSize: 12 });
    digits.push({ example: examples[i]!, label: cell.label, predictions: cell.predictions, png });
  }
  return { runId, steps: checkpoints.map((c) => c.step), digits, ...(information ? { information } : {}) };
}


/** The CNN recipe's last convolution block: the deepest 'layer<i>' hook that is still spatial, for Grad-CAM. */
function lastConvBlock(model: Model): string | undefined {
  let last: string | undefined;
  for (let i = 1; model.graph.valueNames().has(`layer${i}`); i++) if (model.graph.typeOf(`layer${i}`)?.shape?.length === 4) last = `layer${i}`;
  return last;
}
