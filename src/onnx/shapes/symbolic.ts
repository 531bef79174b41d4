import type { Dim } from '../ir/value.js';

/**
 * Integer arithmetic on symbolic dimensions. A dim that is not a plain number is a polynomial
 * with integer coefficients over atoms; an atom is a graph-input symbol ("batch") or a floor
 * quotient of a polynomial by a constant, which is what strided convolutions produce.
 *
 * Derived dims are named by printing their canonical form ("batch*seq", "2*H",
 * "floor((H+1)/2)"), so the same computation always yields the same name, and equal names mean
 * equal values. Symbols are assumed to stand for positive integers; nothing here ever claims
 * a number that depends on the value of a symbol.
 */

interface Term {
  coeff: number;
  /** Sorted atom names; repetition means a power. Empty for the constant term. */
  atoms: string[];
}

/** A polynomial: terms keyed by their atom list (JSON, since atom names may contain anything). */
export type Poly = Map<string, Term>;

type Definition = { kind: 'poly'; poly: Poly } | { kind: 'floor'; num: Poly; den: number };

export class SymbolTable {
  /** Names that came from the model (graph-input dims); never given a derived meaning. */
  private readonly base = new Set<string>();
  /** Derived names and what they stand for. */
  private readonly defs = new Map<string, Definition>();

  addBase(name: string): void {
    this.base.add(name);
  }

  /** The derived names created so far (each name is its own definition, printed canonically). */
  toJSON(): string[] {
    return [...this.defs.keys()];
  }

  isDerived(name: string): boolean {
    return this.defs.has(name);
  }

  toPoly(dim: Dim): Poly | null {
    if (dim === null) return null;
    if (typeof dim === 'number') return constant(dim);
    const def = this.defs.get(dim);
    if (def?.kind === 'poly') return new Map(def.poly);
    return atom(dim);
  }

  fromPoly(poly: Poly | null): Dim {
    if (poly === null) return null;
    for (const t of poly.values()) if (!Number.isSafeInteger(t.coeff)) return null;
    const terms = [...poly.values()];
    if (terms.length === 0) return 0;
    if (terms.length === 1 && terms[0]!.atoms.length === 0) return terms[0]!.coeff;
    if (terms.length === 1 && terms[0]!.coeff === 1 && terms[0]!.atoms.length === 1) return terms[0]!.atoms[0]!;
    return this.name(formatPoly(poly), { kind: 'poly', poly });
  }

  add(a: Dim, b: Dim): Dim {
    return this.fromPoly(combine(this.toPoly(a), this.toPoly(b), 1));
  }

  sub(a: Dim, b: Dim): Dim {
    return this.fromPoly(combine(this.toPoly(a), this.toPoly(b), -1));
  }

  mul(a: Dim, b: Dim): Dim {
    return this.fromPoly(multiply(this.toPoly(a), this.toPoly(b)));
  }

  product(dims: readonly Dim[]): Dim {
    let p: Poly | null = constant(1);
    for (const d of dims) p = multiply(p, this.toPoly(d));
    return this.fromPoly(p);
  }

  /**
   * a / b when it divides exactly for every value of the symbols, else null. Common factors
   * are cancelled first, so products of dims divide by any sub-product (the -1 of Reshape).
   */
  exactDiv(a: Dim, b: Dim): Dim {
    return this.divFactors([a], [b]);
  }

  /** prod(num) / prod(den) when exact (see exactDiv). */
  divFactors(num: readonly Dim[], den: readonly Dim[]): Dim {
    if (num.some((d) => d === null) || den.some((d) => d === null)) return null;
    const rest = [...num];
    const left: Dim[] = [];
    for (const d of den) {
      const i = rest.findIndex((n) => n === d);
      if (i >= 0) rest.splice(i, 1);
      else left.push(d);
    }
    const p = this.toPoly(this.product(rest));
    const q = this.toPoly(this.product(left));
    if (p === null || q === null) return null;
    return this.fromPoly(dividePoly(p, q));
  }

  /** floor(a / k) for a positive integer k; a new floor atom when it cannot be simplified. */
  floorDiv(a: Dim, k: number): Dim {
    if (!Number.isSafeInteger(k) || k <= 0) return null;
    if (typeof a === 'number') return Math.floor(a / k);
    const p = this.toPoly(a);
    return p === null ? null : this.floorPoly(p, k);
  }

  private floorPoly(p: Poly, k: number): Dim {
    if (k === 1) return this.fromPoly(p);
    // floor((P + c)/k) = floor((P + r)/k) + q where c = qk + r: move whole multiples out.
    const c = p.get('[]')?.coeff ?? 0;
    const r = ((c % k) + k) % k;
    const q = (c - r) / k;
    const varying = [...p.values()].filter((t) => t.atoms.length > 0);
    const rest = new Map(varying.map((t) => [JSON.stringify(t.atoms), t]));
    if (varying.every((t) => t.coeff % k === 0)) {
      // Exact apart from the remainder, which is below k and vanishes under floor.
      const out: Poly = new Map(varying.map((t) => [JSON.stringify(t.atoms), { coeff: t.coeff / k, atoms: t.atoms }]));
      return this.fromPoly(combine(out, constant(q), 1));
    }
    // floor((floor(N/p) + r)/k) = floor((N + r*p)/(p*k)): keeps strided chains one level deep.
    const inner = varying.length === 1 && varying[0]!.coeff === 1 && varying[0]!.atoms.length === 1 ? this.defs.get(varying[0]!.atoms[0]!) : undefined;
    if (inner?.kind === 'floor') {
      const merged = this.floorPoly(combine(inner.num, constant(r * inner.den), 1)!, inner.den * k);
      return this.add(merged, q);
    }
    if (r !== 0) rest.set('[]', { coeff: r, atoms: [] });
    const name = this.name(floorName(rest, k), { kind: 'floor', num: rest, den: k });
    return name === null ? null : this.add(name, q);
  }

  /** ceil(a / k) = -floor(-a / k). */
  ceilDiv(a: Dim, k: number): Dim {
    if (typeof a === 'number') return Number.isSafeInteger(k) && k > 0 ? Math.ceil(a / k) : null;
    // ceil(a/k) = floor((a + k - 1)/k) for integers a and positive k.
    return this.floorDiv(this.add(a, k - 1), k);
  }

  /** The value of a dim given the values of the graph-input symbols; undefined when unknown. */
  evaluate(dim: Dim, bindings: Readonly<Record<string, number>>): number | undefined {
    if (dim === null) return undefined;
    if (typeof dim === 'number') return dim;
    return this.evalPoly(this.toPoly(dim)!, bindings);
  }

  private evalPoly(poly: Poly, bindings: Readonly<Record<string, number>>): number | undefined {
    let sum = 0;
    for (const t of poly.values()) {
      let v = t.coeff;
      for (const a of t.atoms) {
        const def = this.defs.get(a);
        let x: number | undefined;
        if (def?.kind === 'floor') {
          const n = this.evalPoly(def.num, bindings);
          x = n === undefined ? undefined : Math.floor(n / def.den);
        } else {
          x = bindings[a];
        }
        if (x === undefined) return undefined;
        v *= x;
      }
      sum += v;
    }
    return sum;
  }

  /** Registers a derived name; null when it would collide with a name from the model. */
  private name(text: string, def: Definition): string | null {
    if (this.base.has(text)) return null;
    if (!this.defs.has(text)) this.defs.set(text, def);
    return text;
  }
}

function constant(c: number): Poly {
  return c === 0 ? new Map() : new Map([['[]', { coeff: c, atoms: [] }]]);
}

function atom(name: string): Poly {
  return new Map([[JSON.stringify([name]), { coeff: 1, atoms: [name] }]]);
}

function combine(a: Poly | null, b: Poly | null, sign: 1 | -1): Poly | null {
  if (a === null || b === null) return null;
  const out: Poly = new Map([...a].map(([k, t]) => [k, { ...t }]));
  for (const [key, t] of b) {
    const coeff = (out.get(key)?.coeff ?? 0) + sign * t.coeff;
    if (coeff === 0) out.delete(key);
    else out.set(key, { coeff, atoms: t.atoms });
  }
  return out;
}

function multiply(a: Poly | null, b: Poly | null): Poly | null {
  if (a === null || b === null) return null;
  let out: Poly | null = new Map();
  for (const x of a.values()) {
    for (const y of b.values()) {
      const atoms = [...x.atoms, ...y.atoms].sort();
      out = combine(out, new Map([[JSON.stringify(atoms), { coeff: x.coeff * y.coeff, atoms }]]), 1);
    }
  }
  return out;
}

/** p / q when q is a single term dividing every term of p, or p is a constant multiple of q. */
function dividePoly(p: Poly, q: Poly): Poly | null {
  const qs = [...q.values()];
  if (qs.length === 0) return null;
  if (qs.length === 1) {
    const d = qs[0]!;
    const out: Poly = new Map();
    for (const t of p.values()) {
      if (t.coeff % d.coeff !== 0) return null;
      const atoms = [...t.atoms];
      for (const a of d.atoms) {
        const i = atoms.indexOf(a);
        if (i < 0) return null;
        atoms.splice(i, 1);
      }
      out.set(JSON.stringify(atoms), { coeff: t.coeff / d.coeff, atoms });
    }
    return out;
  }
  // A multi-term divisor: only a whole-number multiple of it divides exactly here.
  const first = qs[0]!;
  const ratio = (p.get(JSON.stringify(first.atoms))?.coeff ?? 0) / first.coeff;
  if (!Number.isInteger(ratio) || p.size !== q.size) return null;
  for (const [key, t] of q) if (p.get(key)?.coeff !== t.coeff * ratio) return null;
  return constant(ratio);
}

function floorName(num: Poly, den: number): string {
  const text = formatPoly(num);
  return num.size > 1 ? `floor((${text})/${den})` : `floor(${text}/${den})`;
}

function formatPoly(poly: Poly): string {
  const terms = [...poly.entries()].sort(([a, ta], [b, tb]) =>
    (ta.atoms.length === 0 ? 1 : 0) - (tb.atoms.length === 0 ? 1 : 0) || (a < b ? -1 : a > b ? 1 : 0));
  if (terms.length === 0) return '0';
  return terms.map(([, t], i) => {
    const body = t.atoms.join('*');
    let text: string;
    if (t.atoms.length === 0) text = String(t.coeff);
    else if (t.coeff === 1) text = body;
    else if (t.coeff === -1) text = `-${body}`;
    else text = `${t.coeff}*${body}`;
    return i === 0 || text.startsWith('-') ? text : `+${text}`;
  }).join('');
}
