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
