/**
 * A fuzz worker: receives {seed} messages, mutates its corpus entry, runs the target, and
 * reports the outcome. The parent restarts it when it dies, so a crash costs one case.
 */
import { readFileSync } from 'node:fs';
import { mutate } from './mutate.js';
import { runTarget } from './target.js';

const corpus = JSON.parse(process.env.GLASSBOX_FUZZ_CORPUS ?? '[]') as string[];
const files = corpus.map((path) => readFileSync(path));

process.on('message', async (message: { seed: number }) => {
  const seed = message.seed;
  const file = files[seed % files.length]!;
  const donor = files[(seed * 7 + 3) % files.length]!;
  const { bytes, mutation } = mutate(file, seed, donor);
  const outcome = await runTarget(bytes);
  process.send!({ seed, mutation, corpus: corpus[seed % files.length], outcome });
});
process.send!({ ready: true });
