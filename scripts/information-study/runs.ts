/**
 * The study's models: trained here with `glassbox train` (in-process, the same commands a user
 * types), or reused from the store when an earlier study run recorded them in its manifest
 * (<store>/information-study.json) and they completed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { RunStore } from '../../src/store/index.js';

export interface ModelSpec {
  /** Key in the manifest and in the report. */
  role: string;
  /** What the report calls it. */
  title: string;
  /** `glassbox train` arguments; `{mlm}` stands for the run id of the role 'mlm'. */
  args: string[];
}

/** Every run trains with seed 1; the flags are those of BENCHMARKS.md's sentiment rows, with two layers where a recipe has layers. */
export const SPECS: readonly ModelSpec[] = [
  { role: 'transformer', title: 'Transformer', args: ['--recipe', 'transformer', '--dataset', 'sentiment', '--set', 'layers=2', '--dropout', '0.3', '--epochs', '15'] },
  { role: 'lstm', title: 'LSTM (2 layers, bidirectional)', args: ['--recipe', 'lstm', '--dataset', 'sentiment', '--set', 'layers=2', '--set', 'bidirectional=true', '--epochs', '12'] },
  { role: 'textcnn', title: '1-D CNN (TextCNN)', args: ['--recipe', 'textcnn', '--dataset', 'sentiment', '--epochs', '12'] },
  { role: 'mlm', title: 'masked-LM encoder (pretraining only)', args: ['--recipe', 'mlm', '--dataset', 'sentiment', '--set', 'layers=2', '--epochs', '30'] },
  { role: 'pretrained', title: 'pretrained Transformer (masked LM, fine-tuned)', args: ['--recipe', 'transformer', '--dataset', 'sentiment', '--init', '{mlm}', '--set', 'layers=2', '--dropout', '0.3', '--epochs', '15'] },
  { role: 'reverse', title: 'reverse-sequence Transformer encoder', args: ['--recipe', 'mlm', '--dataset', 'reverse', '--set', 'layers=2', '--set', 'tied=false', '--dropout', '0', '--lr', '3e-3', '--epochs', '3'] },
];

export interface TrainedRun {
  role: string;
  title: string;
  run: string;
  command: string;
  testAccuracy: number;
}

type Manifest = Record<string, { run: string; command: string }>;

export async function trainOrReuse(storeDir: string, log: (line: string) => void): Promise<Map<string, TrainedRun>> {
  const manifestPath = join(storeDir, 'information-study.json');
  const manifest: Manifest = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest) : {};
  const out = new Map<string, TrainedRun>();
  for (const spec of SPECS) {
    const args = spec.args.map((a) => (a === '{mlm}' ? out.get('mlm')!.run : a));
    const command = `glassbox train ${args.join(' ')} --seed 1`;
    let run = manifest[spec.role]?.command === command ? manifest[spec.role]!.run : undefined;
    if (run && !completed(storeDir, run)) run = undefined;
    if (run) {
      log(`reusing ${run} (${spec.role})`);
    } else {
      log(`training ${spec.role}: ${command}`);
      run = await trainOne([...args, '--seed', '1', '--store', storeDir]);
      manifest[spec.role] = { run, command };
      writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    }
    out.set(spec.role, { role: spec.role, title: spec.title, run, command, testAccuracy: finalAccuracy(storeDir, run) });
  }
  return out;
}

async function trainOne(args: string[]): Promise<string> {
  let stdout = '';
  let stderr = '';
  const code = await main(['train', ...args, '--json'], { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, isTTY: false });
  if (code !== 0) throw new Error(`glassbox train ${args.join(' ')} failed: ${stderr.trim()}`);
  return (JSON.parse(stdout.slice(stdout.indexOf('['))) as { runId: string }[])[0]!.runId;
}

function completed(storeDir: string, run: string): boolean {
  const store = RunStore.open(storeDir);
  try {
    return store.findRun(run)?.status === 'completed';
  } finally {
    store.close();
  }
}

/** Test accuracy at the latest checkpoint (the one the study measures). */
function finalAccuracy(storeDir: string, run: string): number {
  const store = RunStore.open(storeDir);
  try {
    return store.latestCheckpoint(run)?.metrics?.testAccuracy ?? NaN;
  } finally {
    store.close();
  }
}
