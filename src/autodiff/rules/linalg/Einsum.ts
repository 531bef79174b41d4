import type { Dim } from '../../../onnx/ir/value.js';
import type { GradContext, GradientRule } from '../../types.js';
import { unsupported } from './window.js';

/**
 * y = einsum(T1, …, Tn -> Ty) (explicit or implicit output, "..." broadcast dims, letters of
 * size 1 broadcasting against others). Multilinear, so the VJP of operand k is itself an Einsum:
 *   dXk = einsum(Ty, T1, …, T(k−1), T(k+1), …, Tn -> Tk')
 * where Tk' drops the letters that occur only in Tk (summed in the forward from Xk alone); those
 * come back with Unsqueeze + Expand (d/dx Σ_j x_ij = 1 for every j). Axes where Xk has a static
 * 1 that broadcast against a larger size are summed back (ReduceSum keepdims); axes where Xk is
 * larger than every other occurrence of its letter are expanded. A gradient that is a pure
 * permutation of dy becomes a Transpose. Refused: a letter repeated within one term (diagonals)
 * and "..." operands whose output has no "...".
 */
export const Einsum: GradientRule = {
  op: 'Einsum',
  grad: (g) => {
    const { terms, output } = parseEquation(g, g.node.string('equation'), g.node.inputs.length);
    const dy = g.GO(0)!;
    const inputs = g.node.inputs;
    // Every letter's size in each operand (the output last), and each one's "..." dims.
    const all = [...terms, output];
    const shapes = [...inputs.map((x) => g.shape(x)), g.shape(g.O(0))];
    const ellipsisDims = all.map((t, i) => {
      const at = t.indexOf('.');
      return at < 0 ? [] : shapes[i]!.slice(at, at + shapes[i]!.length - (t.length - 1));
    });
    const letterDims = all.map((t, i) => {
      const map = new Map<string, Dim>();
      let axis = 0;
      for (const c of t) {
        if (c === '.') axis += ellipsisDims[i]!.length;
        else map.set(c, shapes[i]![axis++]!);
      }
      return map;
    });
    return inputs.map((x, k) => {
      if (!g.needs(k)) return undefined;
      const target = terms[k]!;
      const others = terms.map((t, i) => [t, i] as const).filter(([, i]) => i !== k);
      const available = new Set([...output, ...others.flatMap(([t]) => [...t])]);
      const kept = [...target].filter((c) => available.has(c)).join('');
      const sources = [dy, ...others.map(([, i]) => inputs[i]!)];
      let r: string;
      if (others.length === 0 && [...kept].sort().join('') === [...output].sort().join('')) {
        // dx is dy itself, reordered.
        r = kept === output ? dy : g.op('Transpose', [dy], { perm: [...expand(kept, ellipsisDims[k]!.length)].map((c) => expand(output, ellipsisDims[k]!.length).indexOf(c)) });
      } else {
        r = g.op('Einsum', sources, { equation: `${[output, ...others.map(([t]) => t)].map(show).join(',')}->${show(kept)}` });
      }
      // The result's size along a kept axis is 1 only if it is a static 1 in every source.
      const sourceTerms = [terms.length, ...others.map(([, i]) => i)];
      const isOneElsewhere = (c: string, e: number): boolean =>
        sourceTerms.every((i) => (c === '.' ? !all[i]!.includes('.') || ellipsisDims[i]![e] === 1 : !all[i]!.includes(c) || letterDims[i]!.get(c) === 1));
      const xShape = shapes[k]!;
      const reduce: number[] = [];
      const unsqueeze: number[] = [];
      let expandNeeded = false;
      let keptAxis = 0;
      let axis = 0;
      for (const c of target) {
        const count = c === '.' ? ellipsisDims[k]!.length : 1;
        for (let e = 0; e < count; e++, axis++) {
          if (c !== '.' && !available.has(c)) {
            unsqueeze.push(axis);
            expandNeeded = true;
            continue;
          }
          const one = isOneElsewhere(c, e);
          if (xShape[axis] === 1 && !one) reduce.push(keptAxis);
          if (xShape[axis] !== 1 && one) expandNeeded = true;
          keptAxis++;
        }
      }
      if (reduce.length > 0) r = g.op('ReduceSum', [r, g.ints(reduce)], { keepdims: 1 });
      if (unsqueeze.length > 0) r = g.op('Unsqueeze', [r, g.ints(unsqueeze)]);
      if (expandNeeded) r = g.op('Expand', [r, g.shapeOf(x)]);
      return r;
    });
  },
};

/** Terms with "..." written as ".", and the (explicit or implicit) output term. */
export function parseEquation(g: GradContext, equation: string, operands: number): { terms: string[]; output: string } {
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs, more] = eq.split('->');
  if (more !== undefined || lhs === undefined) throw unsupported(g, `malformed equation "${equation}"`);
  const terms = lhs.split(',').map((t) => t.replace('...', '.'));
  if (terms.length !== operands) throw unsupported(g, `equation "${equation}" has ${terms.length} operands for ${operands} inputs`);
  for (const t of [...terms, ...(rhs !== undefined ? [rhs.replace('...', '.')] : [])]) {
    if (!/^[a-zA-Z]*\.?[a-zA-Z]*$/.test(t)) throw unsupported(g, `equation "${equation}" has a term "${t.replace('.', '...')}" that is not letters and one "..."`);
    const letters = t.replace('.', '');
    if (new Set(letters).size !== letters.length) throw unsupported(g, `equation "${equation}" repeats a letter within "${t.replace('.', '...')}" (diagonals are not differentiated)`);
  }
  const ellipsis = terms.some((t) => t.includes('.'));
  let output: string;
  if (rhs !== undefined) {
    output = rhs.replace('...', '.');
    if (ellipsis && !output.includes('.')) throw unsupported(g, `equation "${equation}" sums over "..." dims`);
  } else {
    // Implicit: "..." first, then the letters that occur once, in onnxruntime's order (a–z, A–Z).
    const counts = new Map<string, number>();
    for (const c of terms.join('').replace(/\./g, '')) counts.set(c, (counts.get(c) ?? 0) + 1);
    const rank = (c: string): number => (c >= 'a' ? c.charCodeAt(0) - 97 : c.charCodeAt(0) - 65 + 26);
    output = (ellipsis ? '.' : '') + [...counts].filter(([, n]) => n === 1).map(([c]) => c).sort((a, b) => rank(a) - rank(b)).join('');
  }
  return { terms, output };
}

const show = (t: string): string => t.replace('.', '...');

/** A term with its "." expanded to `e` distinct placeholder tokens (for permutations). */
function expand(t: string, e: number): string[] {
  return [...t].flatMap((c) => (c === '.' ? Array.from({ length: e }, (_, i) => `.${i}`) : [c]));
}
