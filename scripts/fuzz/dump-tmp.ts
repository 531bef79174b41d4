import { readFileSync, writeFileSync } from 'node:fs';
import { defaultCorpus } from '../fuzz.js';
import { mutate } from './mutate.js';
import { decodeModel } from '../../src/onnx/io.js';
const seed = Number(process.argv[2]);
const corpus = defaultCorpus();
const files = corpus.map((p) => readFileSync(p));
const { bytes } = mutate(files[seed % files.length]!, seed, files[(seed * 7 + 3) % files.length]!);
writeFileSync('/tmp/case.onnx', bytes);
const a = decodeModel(files[seed % files.length]!, { validate: false });
const b = decodeModel(bytes, { validate: false });
console.log('opset', a.opset, b.opset);
a.graph.nodes.forEach((n, i) => {
  const m = b.graph.nodes[i];
  const f = (x: typeof n) => JSON.stringify([x.opType, x.inputs, x.outputs, [...x.attributes].map(([k, v]) => [k, v.type === 'tensor' ? [v.value.dims, v.value.data_type] : v.value])]);
  if (!m || f(n) !== f(m)) console.log(i, f(n), '\n ->', m ? f(m) : 'missing');
});
console.log(JSON.stringify(a.graph.inputs.map(i=>[i.name,i.elemType,i.shape])), JSON.stringify(b.graph.inputs.map(i=>[i.name,i.elemType,i.shape])));
for (const [k, t] of a.graph.initializers) { const u = b.graph.initializers.get(k); if (!u || JSON.stringify(t.dims) !== JSON.stringify(u.dims) || t.data_type !== u.data_type) console.log('init', k, t.dims, t.data_type, '->', u?.dims, u?.data_type); }
