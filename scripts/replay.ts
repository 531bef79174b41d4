/**
 * Replays one fuzz case by seed, printing what the target did (for debugging a reported failure):
 *   npx tsx scripts/replay.ts <seed>
 */
import { readFileSync } from 'node:fs';
import { defaultCorpus } from './fuzz.js';
import { mutate } from './fuzz/mutate.js';
import { runTarget } from './fuzz/target.js';

const seed = Number(process.argv[2]);
const corpus = defaultCorpus();
const files = corpus.map((p) => readFileSync(p));
const { bytes, mutation } = mutate(files[seed % files.length]!, seed, files[(seed * 7 + 3) % files.length]!);
console.log(`seed ${seed}: ${mutation} of ${corpus[seed % files.length]}`);
console.log(await runTarget(bytes));
