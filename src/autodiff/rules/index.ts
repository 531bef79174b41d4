/**
 * Every gradient rule, registered once. Adding a rule: write rules/<Op>.ts exporting a
 * GradientRule, and list it here.
 */
import type { GradientRule } from '../types.js';
import { Add } from './Add.js';
import { Div } from './Div.js';
import { Gemm } from './Gemm.js';
import { Identity } from './Identity.js';
import { MatMul } from './MatMul.js';
import { Mul } from './Mul.js';
import { Relu } from './Relu.js';
import { Sigmoid } from './Sigmoid.js';
import { Sub } from './Sub.js';
import { Tanh } from './Tanh.js';
import { registerRules } from './registry.js';

export const ALL_RULES: readonly GradientRule[] = [Add, Div, Gemm, Identity, MatMul, Mul, Relu, Sigmoid, Sub, Tanh];

registerRules(ALL_RULES);

export { ruleFor, hasRule, registeredOps } from './registry.js';
