/**
 * Deterministic train/test splits: seeded shuffles (mulberry32 from src/util/random.ts, integer
 * arithmetic only, so the same split on every platform), stratified, with groups kept whole.
 */
import { Random } from '../util/random.js';

/** Fisher–Yates shuffle of 0 … n−1 with a seeded generator. */
export function shuffledIndices(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const random = new Random(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

export interface SplitItem {
  /** Items with the same group always land in the same split (duplicates, documents). */
  group: string;
  /** Items are split per stratum (label, source …) in the proportion asked for. */
  stratum: string;
}

/**
 * Which items go to the test split: in each stratum, round(testFraction × size) items (exactly,
 * unless whole groups make it impossible), drawn by shuffling the groups with `seed` and taking
 * each group whose members all still fit under their strata's quotas. Returns a mask.
 */
export function groupedStratifiedSplit(items: readonly SplitItem[], testFraction: number, seed: number): boolean[] {
  const quota = new Map<string, number>();
  for (const item of items) quota.set(item.stratum, (quota.get(item.stratum) ?? 0) + 1);
  for (const [s, n] of quota) quota.set(s, Math.round(testFraction * n));

  const groups = new Map<string, number[]>();
  items.forEach((item, i) => {
    const members = groups.get(item.group);
    if (members) members.push(i);
    else groups.set(item.group, [i]);
  });
  const list = [...groups.values()];
  const taken = new Map<string, number>();
  const test = new Array<boolean>(items.length).fill(false);
  for (const g of shuffledIndices(list.length, seed)) {
    const members = list[g]!;
    const need = new Map<string, number>();
    for (const i of members) need.set(items[i]!.stratum, (need.get(items[i]!.stratum) ?? 0) + 1);
    if ([...need].every(([s, n]) => (taken.get(s) ?? 0) + n <= quota.get(s)!)) {
      for (const [s, n] of need) taken.set(s, (taken.get(s) ?? 0) + n);
      for (const i of members) test[i] = true;
    }
  }
  return test;
}

/**
 * Test groups chosen per stratum by counting groups, not items: in each stratum,
 * max(1, round(testFraction × groups)) groups (when the stratum has at least 2), after a seeded
 * shuffle of the stratum's groups in their given order. For corpora split by document.
 */
export function stratifiedGroupChoice(groups: readonly { id: string; stratum: string }[], testFraction: number, seed: number): Set<string> {
  const byStratum = new Map<string, string[]>();
  for (const g of groups) {
    const list = byStratum.get(g.stratum);
    if (list) list.push(g.id);
    else byStratum.set(g.stratum, [g.id]);
  }
  const chosen = new Set<string>();
  const strata = [...byStratum.keys()].sort();
  strata.forEach((s, k) => {
    const ids = byStratum.get(s)!;
    if (ids.length < 2) return;
    const count = Math.min(ids.length - 1, Math.max(1, Math.round(testFraction * ids.length)));
    const order = shuffledIndices(ids.length, (seed + 7919 * k) >>> 0);
    for (const i of order.slice(0, count)) chosen.add(ids[i]!);
  });
  return chosen;
}
