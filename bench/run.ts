/**
 * Benchmarks. `npm run bench` runs them all; `npm run bench -- <name>...` runs some.
 * Results are printed as Markdown rows for BENCHMARKS.md.
 */
import { cpus } from 'node:os';
import { benchIgWork } from './ig-work.js';
import { benchLoad } from './load.js';

const BENCHES: Record<string, () => Promise<string[]>> = {
  load: benchLoad,
  'ig-work': () => benchIgWork(50),
  ig: async () => (await import('./ig.js')).benchIg(),
  information: async () => (await import('./information.js')).benchInformation(),
  train: async () => (await import('./train.js')).benchTrain(),
  conv: async () => (await import('./conv.js')).benchConv(),
  profile: async () => (await import('./profile.js')).benchProfile(),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(BENCHES);
console.log(`# node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}\n`);
for (const name of names) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}" (have: ${Object.keys(BENCHES).join(', ')})`);
    process.exitCode = 2;
    continue;
  }
  console.log(`## ${name}\n`);
  console.log((await bench()).join('\n'));
  console.log('');
}
