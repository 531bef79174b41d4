import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Explainable } from '../../../../src/attribution/explainable.js';
import { HfTokenizer } from '../../../../src/attribution/text/hf-tokenizer.js';
import { findEmbeddingCut } from '../../../../src/attribution/text/embedding-cut.js';
import { forText, type TextModel } from '../../../../src/attribution/text/text-model.js';
import { WordVocabularyTokenizer } from '../../../../src/attribution/text/word-vocabulary.js';
import { interpolate, mul, sub, weightedSum } from '../../../../src/attribution/util/tensor-ops.js';
import { quadrature } from '../../../../src/attribution/util/quadrature.js';
import { loadDataset } from '../../../../src/data/index.js';
import { GraphBuilder } from '../../../../src/onnx/builder.js';
import { loadModel } from '../../../../src/onnx/io.js';
import type { Model } from '../../../../src/onnx/ir/model.js';
import { tensorFromProto } from '../../../../src/onnx/ir/tensor-proto.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { recipe } from '../../../../src/train/recipes/index.js';
import { fixturePath, ROOT } from '../../../helpers/fixtures.js';

const TRANSFORMER = join(ROOT, 'test', 'fixtures', 'gradients', 'transformer.onnx');
const WORDPIECE = join(ROOT, 'test', 'fixtures', 'tokenizers', 'wordpiece.json');

/** Rows of a weight table [rows, d]. */
function table(model: Model, name: string): number[][] {
  const t = tensorFromProto(model.graph.initializers.get(name)!);
  const d = t.shape[1]!;
  const data = t.data as Float32Array;
  return Array.from({ length: t.shape[0]! }, (_, r) => Array.from(data.subarray(r * d, (r + 1) * d)));
}

/** [1, seq, d] as rows. */
function rows(t: Tensor): number[][] {
  const d = t.shape[2]!;
  const data = t.data as Float32Array;
  return Array.from({ length: t.shape[1]! }, (_, r) => Array.from(data.subarray(r * d, (r + 1) * d)));
}

function expectRowsClose(got: number[][], want: number[][]): void {
  expect(got.length).toBe(want.length);
  got.forEach((row, r) => row.forEach((v, k) => expect(Math.abs(v - want[r]![k]!)).toBeLessThan(1e-6)));
}

/** A word vocabulary of exactly 50 entries, as the transformer fixture's token table. */
function fiftyWords(): WordVocabularyTokenizer {
  return new WordVocabularyTokenizer(loadDataset('sentiment').vocabulary!.slice(0, 50));
}

/** Integrated gradients by Gauss–Legendre quadrature, written out here to check the pipeline end to end. */
async function integratedGradients(text: TextModel, x: Tensor, baseline: Tensor, extra: Record<string, Tensor>, target: number): Promise<Tensor> {
  const { alphas, weights } = quadrature('gausslegendre', 32);
  const { gradients } = await text.explainable.vjp(interpolate(baseline, x, alphas), { target }, extra);
  return mul(weightedSum(gradients, weights, x.shape), sub(x, baseline));
}

describe('TextModel on the transformer gradient fixture', () => {
  const model = loadModel(TRANSFORMER);
  const tok = table(model, 'tok.weight');
  const pos = table(model, 'pos.weight');
  const sum = (a: number[], b: number[]) => a.map((v, k) => v + b[k]!);

  it('finds the cut point (token lookup + position lookup) and embeds a text as the model does', async () => {
    const text = await forText(model, { tokenizer: fiftyWords() });
    expect([text.embedding, text.cut.how, text.cut.maxPositions, text.cut.vocabularySize, text.padTo]).toEqual(['/Add_output_0', 'detected', 64, 50, undefined]);
    const x = await text.encode('The movie is great, and it was good.');
    expect(x.encoding.tokens).toEqual(['the', 'movie', 'is', 'great', ',', 'and', 'it', 'was', 'good', '.']);
    expect(x.ids.shape).toEqual([1, 10]);
    expect(x.embeddings.shape).toEqual([1, 10, 32]);
    expectRowsClose(rows(x.embeddings), x.encoding.ids.map((id, j) => sum(tok[id]!, pos[j]!)));
    expect(Object.keys(x.extra)).toEqual(text.explainable.extraInputs);
    await text.release();
  });

  it('builds baselines through the embedding part: PAD or MASK rows where tokens were, positions kept', async () => {
    const text = await forText(model, { tokenizer: fiftyWords() });
    const x = await text.encode('the movie was good');
    const n = x.length;
    expectRowsClose(rows(await text.baselineEmbeddings(x)), Array.from({ length: n }, (_, j) => sum(tok[0]!, pos[j]!)));
    expectRowsClose(rows(await text.baselineEmbeddings(x, { token: 'mask' })), Array.from({ length: n }, (_, j) => sum(tok[2]!, pos[j]!)));
    expectRowsClose(rows(await text.baselineEmbeddings(x, { token: 7 })), Array.from({ length: n }, (_, j) => sum(tok[7]!, pos[j]!)));
    await expect(text.baselineEmbeddings(x, { token: 50 })).rejects.toThrow(/baseline token 50 is not an id of the tokenizer \(0\.\.49\)/);
    await text.release();
  });

  it('keeps [CLS] and [SEP] in the baseline (WordPiece tokenizer.json), from an encoded text or from ids', async () => {
    const tokenizer = await HfTokenizer.fromFile(WORDPIECE);
    const text = await forText(model, { tokenizer });
    const x = await text.encode('The CAFÉ was unbelievable!');
    expect(x.encoding.tokens).toEqual(['[CLS]', 'the', 'cafe', 'was', 'un', '##believ', '##able', '!', '[SEP]']);
    const n = x.length;
    const want = (id: number) => x.encoding.ids.map((t, j) => sum(tok[j === 0 || j === n - 1 ? t : id]!, pos[j]!));
    expectRowsClose(rows(await text.baselineEmbeddings(x)), want(0));
    expectRowsClose(rows(await text.baselineEmbeddings(x, { token: 'mask' })), want(4));
    expectRowsClose(rows(await text.baselineEmbeddings(x.ids, { token: 'mask' })), want(4));
    await text.release();
  });

  it('sums attributions per token (raw and L2-normalised as Captum does), closes the IG budget, and merges subwords into words', async () => {
    const tokenizer = await HfTokenizer.fromFile(WORDPIECE);
    const text = await forText(model, { tokenizer });
    const x = await text.encode('The CAFÉ was unbelievable!');
    const baseline = await text.baselineEmbeddings(x);
    const target = 1;
    const attribution = await integratedGradients(text, x.embeddings, baseline, x.extra, target);
    const perToken = text.perToken(attribution, x);
    const data = attribution.data as Float32Array;
    expect(perToken).toHaveLength(9);
    perToken.forEach((v, t) => expect(v).toBeCloseTo(data.subarray(t * 32, (t + 1) * 32).reduce((s, a) => s + a, 0), 6));
    // [CLS] and [SEP] equal their baseline, so they get nothing.
    expect([perToken[0], perToken[8]]).toEqual([0, 0]);
    const normalized = text.perToken(attribution, x, { normalize: true });
    expect(Math.hypot(...normalized)).toBeCloseTo(1, 6);
    normalized.forEach((v, t) => expect(v * Math.hypot(...perToken)).toBeCloseTo(perToken[t]!, 6));
    // Completeness: Σ attributions = F(x) − F(baseline).
    const f = Explainable.select(await text.explainable.forward(x.embeddings, x.extra), target)[0]!;
    const f0 = Explainable.select(await text.explainable.forward(baseline, x.extra), target)[0]!;
    const total = perToken.reduce((s, v) => s + v, 0);
    expect(Math.abs(total - (f - f0))).toBeLessThan(1e-6); // measured 2e-9 on F(x) − F(baseline) = −0.0183
    const words = text.words(perToken, x);
    expect(words.map((w) => w.word)).toEqual(['The', 'CAFÉ', 'was', 'unbelievable', '!']);
    expect(words[3]!.tokens).toEqual([4, 5, 6]);
    expect(words[3]!.value).toBeCloseTo(perToken[4]! + perToken[5]! + perToken[6]!, 9);
    expect(words.reduce((s, w) => s + w.value, 0)).toBeCloseTo(total, 6);
    await text.release();
  });

  it('refuses a tokenizer whose ids do not fit the embedding table, and a maxLength beyond the position table', async () => {
    await expect(forText(model, { tokenizer: WordVocabularyTokenizer.fromDataset(loadDataset('sentiment')) })).rejects.toThrow(/the tokenizer has 4\d{3} tokens but the model's embedding table only 50 rows/);
    await expect(forText(model, { tokenizer: fiftyWords(), maxLength: 65 })).rejects.toThrow(/maxLength 65 is more than the model reads \(64 tokens: the rows of its position table\)/);
  });
});

describe('TextModel on other models', () => {
  it('finds the "embeddings" hook of a transformer recipe, pads to the dataset length, and feeds the ids its padding mask reads', async () => {
    const vocabulary = loadDataset('sentiment').vocabulary!.slice(0, 60);
    const built = recipe('transformer').build({ kind: 'tokens', inputShape: [16], classes: 2, vocabularySize: 60, seed: 3 }, { d: 16, heads: 2, layers: 1, ff: 32, dropout: 0 }, 'eval');
    const text = await forText(built.model, { tokenizer: new WordVocabularyTokenizer(vocabulary, 16) });
    expect([text.embedding, text.cut.how, text.cut.maxPositions, text.maxLength, text.padTo]).toEqual(['embeddings', 'recipe', 16, 16, 16]);
    const x = await text.encode('the movie was good');
    expect(x.length).toBe(4);
    expect(x.ids.toNumbers().slice(4)).toEqual(new Array(12).fill(0));
    expect(Object.keys(x.extra)).toEqual(['input_ids']);
    // The cut model on the embeddings gives the whole model's output on the ids.
    const cut = await text.explainable.forward(x.embeddings, x.extra);
    const whole = (await text.explainable.valuesFrom(x.feeds, ['logits'])).logits!;
    expect(Array.from(cut.data as Float32Array)).toEqual(Array.from(whole.data as Float32Array));
    // Baseline: PAD rows at the 4 tokens, padding untouched; perToken covers the 4 tokens only.
    const baseline = await text.baselineEmbeddings(x);
    const padRow = rows(await text.baselineEmbeddings(Tensor.int64([1, 16], new Array(16).fill(0))));
    expectRowsClose(rows(baseline), padRow);
    expect(text.perToken(x.embeddings, x)).toHaveLength(4);
    await text.release();
  });

  it('finds learned positions added as a parameter (x + pos, pos [seq, d]) and bounds the length by its rows', () => {
    const cut = findEmbeddingCut(loadModel(join(ROOT, 'test', 'fixtures', 'attribution', 'transformer.onnx')));
    expect([cut.tensor, cut.how, cut.maxPositions, cut.vocabularySize]).toEqual(['/Add_output_0', 'detected', 6, 20]);
  });

  it('says how to name a cut point when the model has none', async () => {
    await expect(forText(loadModel(fixturePath('mlp_opset17')), { tokenizer: fiftyWords() })).rejects.toThrow(/the model has no integer token-id input \(inputs: "input"\)/);
    const b = new GraphBuilder();
    const ids = b.input('input_ids', 'int64', ['batch', 4]);
    const features = b.op('Cast', [ids], { to: 1 });
    b.output(b.op('MatMul', [features, b.constant('w', Tensor.float32([4, 2], [1, 0, 0, 1, 1, 0, 0, 1]))]));
    await expect(forText(b.model(), { tokenizer: fiftyWords() })).rejects.toThrow(
      /a model with no embedding cut point: no Gather looks token ids from "input_ids" up in a weight table; name the embedding tensor \(forText\(model, \{ embedding: '<tensor>' \}\).*candidates: "Cast_out", "MatMul_out"/,
    );
    await expect(forText(loadModel(TRANSFORMER), { tokenizer: fiftyWords(), embedding: '/Add_outptu_0' })).rejects.toThrow(/no tensor named "\/Add_outptu_0" \(did you mean "\/Add_output_0"/);
  });
});
