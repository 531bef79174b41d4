import { describe, expect, it } from 'vitest';
import { isDifferentiable, missingGradientRules, NON_DIFFERENTIABLE_OPS } from '../../../src/autodiff/coverage.js';
import { registeredOps } from '../../../src/autodiff/rules/index.js';
import { loadModel } from '../../../src/onnx/io.js';
import { normalize } from '../../../src/onnx/normalize/index.js';
import { fixtureNames, fixturePath, paddleModel } from '../../helpers/fixtures.js';

/** The ops the autodiff issue names; each must be differentiable by a rule (or lowering). */
const REQUIRED = `Add Sub Mul Div Pow Neg Abs Sqrt Reciprocal Exp Log Erf Tanh Sigmoid Relu LeakyRelu PRelu Elu
  Selu Softplus HardSigmoid HardSwish Gelu Clip Min Max Where Sin Cos Cast Identity Dropout Sum Mean MatMul Gemm
  Einsum Conv ConvTranspose MaxPool AveragePool GlobalAveragePool GlobalMaxPool BatchNormalization
  InstanceNormalization LayerNormalization GroupNormalization Softmax LogSoftmax ReduceSum ReduceMean ReduceMax
  ReduceMin ReduceL2 ReduceSumSquare ReduceLogSumExp CumSum Reshape Flatten Squeeze Unsqueeze Transpose Expand
  Tile Concat Split Slice Pad Gather GatherElements GatherND Resize DepthToSpace SpaceToDepth LSTM GRU RNN`.split(/\s+/);

const PASS_THROUGH = 'Shape Size Constant ConstantOfShape Range Equal Less Greater LessOrEqual GreaterOrEqual Not NonZero ArgMax'.split(' ');

describe('gradient coverage', () => {
  it.each(REQUIRED)('%s is differentiable', (op) => {
    expect(isDifferentiable(op)).toBe(true);
  });

  it('non-differentiable ops pass through without rules', () => {
    for (const op of PASS_THROUGH) expect(NON_DIFFERENTIABLE_OPS.has(op), op).toBe(true);
    for (const op of registeredOps()) expect(NON_DIFFERENTIABLE_OPS.has(op), `${op} has a rule and is declared non-differentiable`).toBe(false);
  });

  it('every op of the test fixtures and the PaddleOCR models is covered after normalisation', () => {
    const models = [...fixtureNames().map(fixturePath), paddleModel('det'), paddleModel('rec'), paddleModel('cls')];
    for (const path of models) {
      const ops = normalize(loadModel(path)).graph.nodes.map((n) => n.opType);
      expect(missingGradientRules(ops), path).toEqual([]);
    }
  });
});
