/**
 * The paper's qualitative claims, each judged from the measured numbers. A difference counts
 * when its mean over sentences is more than two standard errors from zero (from 0.5 for an AUC);
 * a claim is 'held' when every comparison it makes counts, 'partly held' when some do, and
 * 'not held' when none does. Nothing here knows what the answer should be.
 */
import type { ReverseResult } from './reverse.js';
import { ADJACENCY, AUC, pairedTop, type Estimate, type ModelMeasures, type ModelStats, type Sentence } from './sentiment.js';

export type Verdict = 'held' | 'partly held' | 'not held';

export interface Check {
  what: string;
  estimate?: Estimate;
  value?: number;
  passed: boolean;
}

export interface Claim {
  id: string;
  claim: string;
  /** How it was tested. */
  test: string;
  verdict: Verdict;
  checks: Check[];
  /** What else the numbers show that qualifies the verdict. */
  notes?: string[];
}

/** Transformers on one side, recurrent and convolutional models on the other (the paper's grouping). */
export const TRANSFORMERS = ['transformer', 'pretrained'];
export const LOCAL = ['lstm', 'textcnn'];

export const above = (e: Estimate, threshold = 0) => e.mean - 2 * e.error > threshold;

export function verdict(checks: readonly Check[]): Verdict {
  const passed = checks.filter((c) => c.passed).length;
  return passed === checks.length ? 'held' : passed > 0 ? 'partly held' : 'not held';
}

export function sentimentClaims(stats: readonly ModelStats[], measures: readonly ModelMeasures[], sentences: readonly Sentence[]): Claim[] {
  const byRole = new Map(measures.map((m) => [m.run.role, m]));
  const statOf = new Map(stats.map((s) => [s.role, s]));
  const title = (role: string) => statOf.get(role)!.title;
  const depth: Check[] = stats.map((s) => ({
    what: `${s.title}: ${s.layers[0]!.layer} → ${s.layers.at(-1)!.layer}`,
    estimate: s.fall,
    passed: above(s.fall),
  }));
  const selective: Check[] = TRANSFORMERS.map((role) => {
    const top = statOf.get(role)!.layers.at(-1)!;
    return { what: `${title(role)}: AUC at ${top.layer} above 0.5`, estimate: top.auc, passed: above(top.auc, 0.5) };
  });
  const moreSelective: Check[] = TRANSFORMERS.flatMap((t) => LOCAL.map((l) => {
    const e = pairedTop(byRole.get(t)!, byRole.get(l)!, sentences, AUC);
    return { what: `AUC ${title(t)} − ${title(l)}`, estimate: e, passed: above(e) };
  }));
  const spread: Check[] = LOCAL.flatMap((l) => TRANSFORMERS.map((t) => {
    const e = pairedTop(byRole.get(l)!, byRole.get(t)!, sentences, ADJACENCY);
    return { what: `adjacent-word correlation ${title(l)} − ${title(t)}`, estimate: e, passed: above(e) };
  }));
  return [
    {
      id: 'a',
      claim: 'Information falls with depth: later layers keep less of the words.',
      test: 'Per sentence, the mean log(σ / scale) over its words at the last measured layer minus at the first; its mean over sentences must be above 0 by two standard errors, for each model.',
      verdict: verdict(depth),
      checks: depth,
      notes: reversals(stats),
    },
    {
      id: 'b',
      claim: 'Transformers keep the task words (sentiment words) and forget the rest, more than LSTM and CNN do.',
      test: 'At the top layer (the classifier\'s input), per sentence: the probability that an AFINN-rated word has a smaller σ than an unrated word (AUC; 0.5 = no preference). Each Transformer\'s AUC must be above 0.5, and above each LSTM/CNN\'s on the same sentences (paired), by two standard errors.',
      verdict: verdict([...selective, ...moreSelective]),
      checks: [...selective, ...moreSelective],
    },
    {
      id: 'c',
      claim: 'CNN and LSTM spread information over neighbouring words.',
      test: 'At the top layer, per sentence: the correlation of log σ between adjacent words (high: what is kept comes in runs of neighbours). The CNN\'s and the LSTM\'s must each be above each Transformer\'s on the same sentences (paired), by two standard errors.',
      verdict: verdict(spread),
      checks: spread,
    },
  ];
}

/** Steps between consecutive layers where information rises (mean log σ/scale falls by two standard errors). */
function reversals(stats: readonly ModelStats[]): string[] {
  const rises = stats.flatMap((s) => s.steps.filter((step) => step.change.mean + 2 * step.change.error < 0)
    .map((step) => `${s.title}: ${step.from} → ${step.to} (${step.change.mean.toFixed(3)} ± ${step.change.error.toFixed(3)})`));
  return rises.length === 0
    ? ['Every step from one layer to the next keeps less or the same (no step falls by two standard errors).']
    : [`Not at every step: information rises again (mean log σ/scale falls by more than two standard errors) at ${rises.join('; ')}.`];
}

export function reverseClaims(reverse: ReverseResult): Claim[] {
  const top = reverse.stats.at(-1)!;
  const first = reverse.stats[0]!;
  const copies: Check[] = [
    { what: `${top.layer}: output positions whose source word is among the two best kept`, value: top.sourceTopTwo, passed: top.sourceTopTwo >= 0.9 },
    { what: `${top.layer}: source word kept better than the other (neither source nor own) words, mean log σ/scale difference`, estimate: { mean: top.other.mean - top.source.mean, error: Math.hypot(top.other.error, top.source.error), n: top.source.n }, passed: top.other.mean - top.source.mean - 2 * Math.hypot(top.other.error, top.source.error) > 0 },
  ];
  const where: Check[] = [
    { what: `${top.layer}: input words kept best at the output position that copies them`, value: top.concentratedWhereNeeded, passed: top.concentratedWhereNeeded >= 0.9 },
    { what: `${first.layer} (before the routing): output positions that keep their own word best`, value: first.selfBest, passed: first.selfBest >= 0.9 },
  ];
  return [
    {
      id: 'd',
      claim: 'In the reverse task, each output position keeps the word it must copy.',
      test: 'Per output position j of the top layer, rank the input words by σ: the source word n − 1 − j must be among the two best kept at ≥ 90 % of positions (the position\'s own word also rides the residual stream), and be kept better than the remaining words by two standard errors.',
      verdict: verdict(copies),
      checks: copies,
    },
    {
      id: 'e',
      claim: 'Information about an input word concentrates where it is needed.',
      test: 'Per input word i, the output position (other than i itself) that keeps it best must be n − 1 − i for ≥ 90 % of words at the top layer; and at the first layer, before attention has routed anything, positions keep their own word best (≥ 90 %).',
      verdict: verdict(where),
      checks: where,
    },
  ];
}
