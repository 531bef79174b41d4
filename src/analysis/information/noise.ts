/**
 * Standard normal noise, fast: every step draws K·seq·D of them (8k for four draws on sixteen
 * 64-d words), and the Box–Muller of util/random.ts (a log, a sqrt, a sin and a cos per pair)
 * took a quarter of a step. This is the ziggurat of Marsaglia & Tsang (2000), 128 layers, fed
 * by the seeded generator: most draws cost one 32-bit uniform and a compare. The bits are used
 * disjointly (7 for the layer, 1 for the sign, 24 for the position), so the value is not
 * correlated with its layer choice.
 */
import type { Random } from '../../util/random.js';

const R = 3.442619855899; // where the tail starts
const V = 9.91256303526217e-3; // the area of every layer
const M = 2 ** 24;
const K = new Uint32Array(128);
const W = new Float64Array(128);
const F = new Float64Array(128);
{
  const f = (x: number) => Math.exp(-0.5 * x * x);
  const q = V / f(R);
  K[0] = Math.floor((R / q) * M);
  K[1] = 0;
  W[0] = q / M;
  W[127] = R / M;
  F[0] = 1;
  F[127] = f(R);
  let dn = R;
  let tn = R;
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + f(dn)));
    K[i + 1] = Math.floor((dn / tn) * M);
    tn = dn;
    F[i] = f(dn);
    W[i] = dn / M;
  }
}

/**
 * Fills `out` with independent N(0, 1) draws from `random`. The generator's mulberry32 step is
 * inlined on its saved state (and the state put back), so the numbers are exactly those that
 * `random.next()` would have given, at a fraction of the call cost.
 */
export function fillNormal(random: Random, out: Float32Array): void {
  const saved = random.getState();
  let state = saved.state;
  const next32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const uniform = (): number => next32() / 4294967296;
  for (let n = 0; n < out.length; n++) {
    for (;;) {
      const u = next32();
      const i = u & 127;
      const j = u >>> 8;
      const x = j * W[i]!;
      if (j < K[i]!) {
        out[n] = u & 128 ? -x : x;
        break;
      }
      if (i === 0) {
        // The tail beyond R, by Marsaglia's exponential rejection.
        let t: number;
        let y: number;
        do {
          t = -Math.log(1 - uniform()) / R;
          y = -Math.log(1 - uniform());
        } while (y + y < t * t);
        out[n] = u & 128 ? -(R + t) : R + t;
        break;
      }
      if (F[i]! + uniform() * (F[i - 1]! - F[i]!) < Math.exp(-0.5 * x * x)) {
        out[n] = u & 128 ? -x : x;
        break;
      }
    }
  }
  random.setState({ state, spare: saved.spare });
}
