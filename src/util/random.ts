/**
 * A small seedable generator (mulberry32) for everything glassbox randomises: probe inputs,
 * gradient-check directions, noise. Same seed, same numbers, on every platform.
 */
export class Random {
  private state: number;
  private spare: number | undefined;

  constructor(seed = 0) {
    this.state = seed >>> 0;
  }

  /** The generator's full state, to continue the same sequence later (checkpoints). */
  getState(): { state: number; spare: number | null } {
    return { state: this.state, spare: this.spare ?? null };
  }

  setState(saved: { state: number; spare: number | null }): this {
    this.state = saved.state >>> 0;
    this.spare = saved.spare ?? undefined;
    return this;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Advances the generator as `n` calls of next() would, without drawing them. */
  skip(n: number): this {
    this.state = advanceState(this.state, n);
    return this;
  }

  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** Standard normal (Box–Muller, caching the second value). */
  normal(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A uniformly random permutation of 0 … n − 1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  fill<T extends { length: number; [i: number]: number }>(array: T, sample: () => number = () => this.normal()): T {
    for (let i = 0; i < array.length; i++) array[i] = sample();
    return array;
  }
}

/**
 * The generator's step: the state is a Weyl sequence (state += 0x6d2b79f5 per draw), so the
 * state n draws ahead is known without drawing; next() mixes it into 32 random bits.
 */
export function advanceState(state: number, n: number): number {
  return (state + Math.imul(n >>> 0, 0x6d2b79f5)) >>> 0;
}

/**
 * out[i] = value where the i-th draw from `state` is < p, else 0; returns the state after.
 * Self-contained on purpose (no closures, no imports): dropout-masks.ts runs its source on a
 * worker thread, so the worker's masks are these, bit for bit.
 */
export function bernoulliFill(out: Float32Array, state: number, p: number, value: number): number {
  // next() < p  ⇔  u32 / 2^32 < p  ⇔  u32 < p · 2^32 (exact in float64: a power-of-two scale).
  const threshold = p * 4294967296;
  let s = state >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) < threshold ? value : 0;
  }
  return s;
}
