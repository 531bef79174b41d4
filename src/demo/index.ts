/**
 * `glassbox demo`, the main job: train (or reuse) a sentiment Transformer and an MNIST CNN with
 * checkpoint series in the run store, explain them across their checkpoints (IG, Grad-CAM, the
 * per-word information of every layer), show a pretrained PaddleOCR model too, and write one
 * static HTML report. The CLI then starts the dashboard over the same store.
 */
import { writeFileAtomic } from '../onnx/io.js';
import { RunStore } from '../store/store.js';
import type { Metrics } from '../train/types.js';
import { digitsStudy, type DigitsStudy } from './digits.js';
import { orientationDemo, type OrientationDemo } from './orientation.js';
import { renderDemoReport, type ReportRun } from './report.js';
import { DEMO_RUNS, ensureRun, type DemoRunSpec } from './runs.js';
import { sentimentStudy, type SentimentStudy } from './sentiment.js';

export interface DemoProgress {
  /** A phase starts ('training Sentiment Transformer', 'Integrated Gradients across checkpoints', …). */
  phase(label: string, total?: number): void;
  /** Progress within the phase. */
  update(done: number, info?: Record<string, string | number>): void;
  /** A line worth keeping in the log (an epoch's metrics, a reused run). */
  note(line: string): void;
}

export interface DemoOptions {
  storeDir: string;
  /** Where the HTML report goes (default: demo-report.html in the store directory). */
  reportPath?: string;
  /** Include the pretrained PaddleOCR model (default true). */
  pretrained?: boolean;
  progress?: DemoProgress;
}

export interface DemoResult {
  storeDir: string;
  reportPath: string;
  runs: { id: string; title: string; trained: boolean; testAccuracy?: number }[];
  sentiment: SentimentStudy;
  digits: Omit<DigitsStudy, 'digits' | 'information'> & { digits: Omit<DigitsStudy['digits'][number], 'png'>[]; information?: { example: number; step: number } };
  orientation?: OrientationDemo;
  seconds: number;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = performance.now();
  const progress = options.progress;
  const store = RunStore.open(options.storeDir, { create: true });
  try {
    const runs: ReportRun[] = [];
    const ids: Record<string, string> = {};
    for (const [name, spec] of Object.entries(DEMO_RUNS) as [string, DemoRunSpec][]) {
      let phase = false;
      const { runId, trained } = await ensureRun(store, spec, {
        step: (_s, done, total, loss) => {
          if (!phase) (progress?.phase(`training ${spec.title}`, total), (phase = true));
          progress?.update(done, { loss: loss.toFixed(3) });
        },
        epoch: (_s, m) => progress?.note(`${spec.title}: epoch ${m.epoch}  test accuracy ${percent(m.testAccuracy)}  test loss ${m.testLoss?.toFixed(3) ?? '–'}`),
      });
      if (!trained) progress?.note(`${spec.title}: reusing run ${runId} from ${store.dir}`);
      ids[name] = runId;
      runs.push({ id: runId, title: spec.title, trained, metrics: store.metrics(runId) });
    }

    let phase = '';
    const sentiment = await sentimentStudy(store, ids.sentiment!, {
      onProgress: (what, done, total) => {
        if (what !== phase) (progress?.phase(what, total), (phase = what));
        progress?.update(done);
      },
    });
    progress?.phase('explaining digits across checkpoints');
    const digits = await digitsStudy(store, ids.mnist!, { onProgress: (done, total) => progress?.update(done, { of: total }) });
    let orientation: OrientationDemo | undefined;
    if (options.pretrained ?? true) {
      progress?.phase('a pretrained PaddleOCR model');
      orientation = await orientationDemo();
    }
    const seconds = (performance.now() - started) / 1000;
    const reportPath = options.reportPath ?? `${store.dir}/demo-report.html`;
    writeFileAtomic(reportPath, renderDemoReport({ created: new Date(), storeDir: store.dir, runs, sentiment, digits, seconds, ...(orientation ? { orientation } : {}) }));
    return {
      storeDir: store.dir,
      reportPath,
      runs: runs.map((r) => ({ id: r.id, title: r.title, trained: r.trained, ...bestAccuracy(r.metrics) })),
      sentiment,
      // The pictures stay in the report; the JSON keeps what they show.
      digits: { runId: digits.runId, steps: digits.steps, digits: digits.digits.map(({ png: _png, ...d }) => d), ...(digits.information ? { information: { example: digits.information.example, step: digits.information.step } } : {}) },
      ...(orientation ? { orientation } : {}),
      seconds,
    };
  } finally {
    store.close();
  }
}

function bestAccuracy(metrics: readonly Metrics[]): { testAccuracy?: number } {
  const values = metrics.map((m) => m.testAccuracy).filter((v): v is number => v !== undefined);
  return values.length ? { testAccuracy: Math.max(...values) } : {};
}

function percent(v: number | undefined): string {
  return v === undefined ? '–' : `${(100 * v).toFixed(2)}%`;
}
