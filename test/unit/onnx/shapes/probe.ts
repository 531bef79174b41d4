import { cloneModel } from '../../../../src/onnx/edit/clone.js';
import { exposeOutputs } from '../../../../src/onnx/edit/expose.js';
import type { Model } from '../../../../src/onnx/ir/model.js';
import type { Dim, ValueInfo } from '../../../../src/onnx/ir/value.js';
import { inferShapes } from '../../../../src/onnx/shapes/index.js';
import type { ShapeReport } from '../../../../src/onnx/shapes/index.js';
import { Session } from '../../../../src/runtime/session.js';
import { dtypeToOnnx, type DType } from '../../../../src/tensor/dtype.js';
import { Tensor } from '../../../../src/tensor/tensor.js';

/**
 * Checks inferShapes against onnxruntime: every node output is exposed as a graph output of
 * a copy of the model, the copy runs on inputs of a few sizes, and each claim of the report
 * is compared with what came back.
 */

/** Concrete input shape for one run, from the declared (possibly symbolic) one. */
export type ShapeFor = (input: ValueInfo) => number[];

export interface Coverage {
  total: number;
  knownRank: number;
  fullyStatic: number;
  /** Values whose every dim is a number or a symbol (no unknown dims). */
  noUnknownDims: number;
}

export interface ProbeResult {
  report: ShapeReport;
  mismatches: string[];
  coverage: Coverage;
  /** Values onnxruntime returned and that were compared, over all runs. */
  compared: number;
}

function feed(info: ValueInfo, shape: number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (info.elemType === dtypeToOnnx('int64')) return Tensor.int64(shape, Array.from({ length: size }, (_, i) => (i * 7) % 10));
  return Tensor.float32(shape, Array.from({ length: size }, (_, i) => Math.sin(i * 0.37) * 0.9));
}

/** The symbol bindings a run implies: each symbolic input dim takes the value fed for it. */
function bindingsOf(inputs: readonly ValueInfo[], shapes: number[][]): Record<string, number> {
  const out: Record<string, number> = {};
  inputs.forEach((info, i) => info.shape?.forEach((d, j) => { if (typeof d === 'string') out[d] = shapes[i]![j]!; }));
  return out;
}

export async function probe(original: Model, runs: ShapeFor[]): Promise<ProbeResult> {
  const inferred = cloneModel(original);
  const report = inferShapes(inferred, { useDeclared: false });

  const exposed = cloneModel(original);
  const names = report.values.map((v) => v.name);
  exposeOutputs(exposed, names);
  const session = await Session.create(exposed);
  const mismatches: string[] = [];
  let compared = 0;
  try {
    for (const run of runs) {
      const inputs = exposed.graph.feedInputs;
      const shapes = inputs.map(run);
      const feeds = Object.fromEntries(inputs.map((info, i) => [info.name, feed(info, shapes[i]!)]));
      const bindings = bindingsOf(inputs, shapes);
      const actual = await session.run(feeds);
      const label = JSON.stringify(bindings);
      for (const v of report.values) {
        const got = actual[v.name];
        if (!got) continue;
        compared++;
        if (v.elemType !== undefined && v.elemType !== dtypeToOnnx(got.dtype as DType)) {
          mismatches.push(`${v.name}: elemType ${v.elemType}, actual ${got.dtype}`);
        }
        if (!v.shape) continue;
        if (v.shape.length !== got.rank) {
          mismatches.push(`${v.name}: rank ${v.shape.length} ${fmt(v.shape)}, actual [${got.shape.join(', ')}] at ${label}`);
          continue;
        }
        v.shape.forEach((d, i) => {
          if (d === null) return;
          const want = typeof d === 'number' ? d : report.symbols.evaluate(d, bindings);
          if (want !== got.shape[i]) {
            mismatches.push(`${v.name}: dim ${i} is "${d}" (= ${want}), actual ${got.shape[i]} in [${got.shape.join(', ')}] at ${label}`);
          }
        });
      }
    }
  } finally {
    await session.release();
  }
  const shaped = report.values.filter((v) => v.shape);
  const coverage: Coverage = {
    total: report.total,
    knownRank: report.knownRank,
    fullyStatic: report.fullyStatic,
    noUnknownDims: shaped.filter((v) => v.shape!.every((d) => d !== null)).length,
  };
  return { report, mismatches: [...new Set(mismatches)], coverage, compared };
}

function fmt(shape: Dim[]): string {
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/** Runs from a table of symbol values (fixtures name their dims "batch" and "seq"). */
export function bySymbol(values: Record<string, number>): ShapeFor {
  return (info) => (info.shape ?? []).map((d) => {
    if (typeof d === 'number') return d;
    const v = typeof d === 'string' ? values[d] : undefined;
    if (v === undefined) throw new Error(`no test value for dim ${String(d)} of input "${info.name}"`);
    return v;
  });
}

export function percent(n: number, total: number): string {
  return `${((100 * n) / Math.max(total, 1)).toFixed(1)}%`;
}
