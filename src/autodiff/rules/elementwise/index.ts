/** Elementwise arithmetic and activations. */
import type { GradientRule } from '../../types.js';
import { Add } from './Add.js';
import { Div } from './Div.js';
import { Identity } from './Identity.js';
import { Mul } from './Mul.js';
import { Relu } from './Relu.js';
import { Sigmoid } from './Sigmoid.js';
import { Sub } from './Sub.js';
import { Tanh } from './Tanh.js';

export const ELEMENTWISE_RULES: readonly GradientRule[] = [Add, Div, Identity, Mul, Relu, Sigmoid, Sub, Tanh];
