import { dtypeFromOnnx, type DType } from '../../tensor/dtype.js';
import { cloneGraph } from '../edit/clone.js';
import type { Graph } from '../ir/graph.js';
import { Model } from '../ir/model.js';
import { protoDims } from '../ir/tensor-proto.js';
import { inferShapes } from '../shapes/index.js';

interface Fact {
  elemType?: number;
  rank?: number;
}

/**
 * Element types and ranks of the values of a graph as it was before normalisation, from static
 * shape inference (which reads every opset's attribute and input forms). Rewrites preserve what
 * values compute, so these facts stay true for the names they keep; names a rewrite creates are
 * unknown (`undefined`), and so is anything inference could not settle: a wrong answer would
 * make a rewrite change the model.
 */
export class TypeFacts {
  private readonly facts = new Map<string, Fact>();

  constructor(graph: Graph, opset: number, private readonly outer?: TypeFacts) {
    const copy = cloneGraph(graph);
    try {
      inferShapes(new Model({ graph: copy, opsets: { '': opset } }));
    } catch {
      // A graph inference cannot walk (a cycle, say) still has its declarations.
    }
    for (const [name, proto] of copy.initializers) this.facts.set(name, { elemType: proto.data_type ?? undefined, rank: protoDims(proto).length });
    for (const info of [...copy.valueInfo.values(), ...copy.inputs, ...copy.outputs]) {
      const fact: Fact = { ...this.facts.get(info.name) };
      if (info.elemType !== undefined) fact.elemType = info.elemType;
      if (info.shape !== undefined) fact.rank = info.shape.length;
      this.facts.set(info.name, fact);
    }
  }

  dtype(name: string): DType | undefined {
    const code = this.elemType(name);
    return code === undefined ? undefined : dtypeFromOnnx(code);
  }

  elemType(name: string): number | undefined {
    return this.facts.has(name) ? this.facts.get(name)!.elemType : this.outer?.elemType(name);
  }

  rank(name: string): number | undefined {
    return this.facts.has(name) ? this.facts.get(name)!.rank : this.outer?.rank(name);
  }
}
