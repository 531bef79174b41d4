import { describe, expect, it } from 'vitest';
import type { Dim } from '../../../../src/onnx/ir/value.js';
import { SymbolTable } from '../../../../src/onnx/shapes/index.js';

/** The dim algebra: canonical names, and every symbolic result evaluates to the numeric one. */

describe('SymbolTable', () => {
  it('names derived dims canonically and keeps graph-input names as they are', () => {
    const s = new SymbolTable();
    s.addBase('batch');
    s.addBase('seq');
    expect(s.mul('seq', 'batch')).toBe('batch*seq');
    expect(s.mul('batch', 'seq')).toBe('batch*seq');
    expect(s.mul(7, 'batch')).toBe('7*batch');
    expect(s.add(s.mul(2, 'seq'), -1)).toBe('2*seq-1');
    expect(s.exactDiv('7*batch', 7)).toBe('batch');
    expect(s.exactDiv('7*batch', 2)).toBeNull();
    expect(s.divFactors(['batch', 'seq', 32], ['seq', 'batch'])).toBe(32);
    expect(s.floorDiv(s.add('seq', 1), 2)).toBe('floor((seq+1)/2)');
    expect(s.floorDiv(s.add(s.mul(4, 'seq'), 5), 2)).toBe('2*seq+2');
    // floor((floor((h+1)/2)+1)/2) = floor((h+3)/4)
    expect(s.floorDiv(s.add(s.floorDiv(s.add('h', 1), 2), 1), 2)).toBe('floor((h+3)/4)');
    expect(s.sub('batch', 'batch')).toBe(0);
  });

  it('never reuses a graph-input name for a different quantity', () => {
    const s = new SymbolTable();
    s.addBase('2*n');
    expect(s.mul(2, 'n')).toBeNull();
  });

  it('agrees with integer arithmetic on random expressions', () => {
    const s = new SymbolTable();
    for (const name of ['a', 'b']) s.addBase(name);
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    type Pair = [Dim, (v: Record<string, number>) => number];
    const leaves: Pair[] = [['a', (v) => v.a!], ['b', (v) => v.b!], [3, () => 3], [1, () => 1]];
    let checked = 0;
    for (let trial = 0; trial < 400; trial++) {
      let [dim, f]: Pair = leaves[rand(leaves.length)]!;
      for (let step = 0; step < 4 && dim !== null; step++) {
        const [other, g] = leaves[rand(leaves.length)]!;
        const k = 1 + rand(4);
        const prev = f;
        switch (rand(6)) {
          case 0: [dim, f] = [s.add(dim, other), (v) => prev(v) + g(v)]; break;
          case 1: [dim, f] = [s.sub(dim, k), (v) => prev(v) - k]; break;
          case 2: [dim, f] = [s.mul(dim, other), (v) => prev(v) * g(v)]; break;
          case 3: [dim, f] = [s.floorDiv(dim, k), (v) => Math.floor(prev(v) / k)]; break;
          case 4: [dim, f] = [s.ceilDiv(dim, k), (v) => Math.ceil(prev(v) / k)]; break;
          default: [dim, f] = [s.exactDiv(dim, k), (v) => prev(v) / k];
        }
      }
      if (dim === null) continue;
      for (const values of [{ a: 1, b: 2 }, { a: 7, b: 5 }, { a: 12, b: 9 }, { a: 33, b: 16 }]) {
        expect(s.evaluate(dim, values), `${String(dim)} at ${JSON.stringify(values)}`).toBe(f(values));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(400);
  });
});
