/**
 * The model recipes by name. Each builds a clean ai.onnx opset-17 graph (eval or train form)
 * from a dataset's shape and a config; see ../types.ts for the contract.
 */
import { GlassboxError } from '../../util/errors.js';
import { didYouMean } from '../../util/suggest.js';
import type { Recipe } from '../types.js';
import { cnn } from './cnn.js';
import { gru } from './gru.js';
import { lstm } from './lstm.js';
import { mlm } from './mlm.js';
import { mlp } from './mlp.js';
import { textcnn } from './textcnn.js';
import { transformer } from './transformer.js';

const RECIPES: readonly Recipe[] = [mlp, cnn, lstm, gru, textcnn, transformer, mlm];

export function listRecipes(): readonly Recipe[] {
  return RECIPES;
}

export function recipe(name: string): Recipe {
  const found = RECIPES.find((r) => r.name === name);
  if (!found) {
    const names = RECIPES.map((r) => r.name);
    throw new GlassboxError('unknown-recipe', `unknown recipe "${name}"${didYouMean(name, names)} (recipes: ${names.join(', ')})`);
  }
  return found;
}

export { cnn, gru, lstm, mlm, mlp, textcnn, transformer };
export type { CnnConfig } from './cnn.js';
export type { EncoderConfig } from './encoder.js';
export type { MlmConfig } from './mlm.js';
export type { MlpConfig } from './mlp.js';
export type { RecurrentConfig } from './recurrent.js';
export type { TextCnnConfig } from './textcnn.js';
export type { TransformerConfig } from './transformer.js';
