import type { Dim } from '../ir/value.js';
import { normAxis, T } from './helpers.js';
import type { Rule, RuleTable, ValueType } from './types.js';

/** Normalisations: Y has X's type and shape; statistics outputs are per channel or per row. */

/**
 * BatchNormalization: Y, then (training mode, or the opset 6-9 statistics outputs) running
 * mean/var and saved mean/var, all of shape [C] and of the mean input's type.
 */
const batchNorm: Rule = (ctx) => {
  const y: ValueType = {};
  const elemType = ctx.elemType(0);
  if (elemType !== undefined) y.elemType = elemType;
  const x = ctx.shape(0);
  if (x) y.shape = [...x];
  const scale = ctx.shape(1);
  const c: Dim = typeof scale?.[0] === 'number' ? scale[0] : x?.[1] ?? null;
  const statType = ctx.elemType(3) ?? elemType;
  const stats: ValueType = { shape: [c] };
  if (statType !== undefined) stats.elemType = statType;
  return ctx.node.outputs.map((_, i) => (i === 0 ? y : { ...stats, shape: [c] }));
};

/**
 * LayerNormalization: Y like X; Mean and InvStdDev keep the dims before `axis` and are 1 from
 * there on, of type stash_type (float unless given), as the ONNX schema defines them.
 */
const layerNorm: Rule = (ctx) => {
  const y: ValueType = {};
  const elemType = ctx.elemType(0);
  if (elemType !== undefined) y.elemType = elemType;
  const stats: ValueType = { elemType: ctx.node.int('stash_type', T.FLOAT) };
  const x = ctx.shape(0);
  if (x) {
    y.shape = [...x];
    const axis = normAxis(ctx.node.int('axis', -1), x.length);
    stats.shape = x.map((d, i) => (i < axis ? d : 1));
  }
  return [y, stats, { ...stats }];
};

const likeInput: Rule = (ctx) => {
  const out: ValueType = {};
  const elemType = ctx.elemType(0);
  if (elemType !== undefined) out.elemType = elemType;
  const x = ctx.shape(0);
  if (x) out.shape = [...x];
  return [out];
};

export const normalizationRules: RuleTable = {
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
  InstanceNormalization: likeInput,
  GroupNormalization: likeInput,
  LpNormalization: likeInput,
  MeanVarianceNormalization: likeInput,
  LRN: likeInput,
  RMSNormalization: likeInput,
};
