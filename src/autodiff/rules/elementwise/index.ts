/** Elementwise arithmetic and activations. */
import type { GradientRule } from '../../types.js';
import { Abs } from './Abs.js';
import { Add } from './Add.js';
import { Cast } from './Cast.js';
import { CastLike } from './CastLike.js';
import { Celu } from './Celu.js';
import { Clip } from './Clip.js';
import { Cos } from './Cos.js';
import { Div } from './Div.js';
import { Dropout } from './Dropout.js';
import { Elu } from './Elu.js';
import { Erf } from './Erf.js';
import { Exp } from './Exp.js';
import { Gelu } from './Gelu.js';
import { HardSigmoid } from './HardSigmoid.js';
import { HardSwish } from './HardSwish.js';
import { Identity } from './Identity.js';
import { LeakyRelu } from './LeakyRelu.js';
import { Log } from './Log.js';
import { Max } from './Max.js';
import { Mean } from './Mean.js';
import { Min } from './Min.js';
import { Mish } from './Mish.js';
import { Mul } from './Mul.js';
import { Neg } from './Neg.js';
import { Pow } from './Pow.js';
import { PRelu } from './PRelu.js';
import { Reciprocal } from './Reciprocal.js';
import { Relu } from './Relu.js';
import { Selu } from './Selu.js';
import { Sigmoid } from './Sigmoid.js';
import { Sin } from './Sin.js';
import { Softplus } from './Softplus.js';
import { Softsign } from './Softsign.js';
import { Sqrt } from './Sqrt.js';
import { Sub } from './Sub.js';
import { Sum } from './Sum.js';
import { Tan } from './Tan.js';
import { Tanh } from './Tanh.js';
import { ThresholdedRelu } from './ThresholdedRelu.js';
import { Where } from './Where.js';

export const ELEMENTWISE_RULES: readonly GradientRule[] = [
  Abs, Add, Cast, CastLike, Celu, Clip, Cos, Div, Dropout, Elu, Erf, Exp, Gelu, HardSigmoid, HardSwish,
  Identity, LeakyRelu, Log, Max, Mean, Min, Mish, Mul, Neg, Pow, PRelu, Reciprocal, Relu, Selu, Sigmoid,
  Sin, Softplus, Softsign, Sqrt, Sub, Sum, Tan, Tanh, ThresholdedRelu, Where,
];
