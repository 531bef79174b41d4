import { recurrentRecipe } from './recurrent.js';

/**
 * LSTM text classifier on input_ids [batch, seq] (0 = PAD, padding at the end of each row).
 *
 * Hooks: 'embeddings' [batch, seq, E] (the embedding lookup, the cut point for attribution),
 * 'layer1' … 'layerL' (each LSTM layer's outputs, [batch, seq, dirs·H], zero past a row's end),
 * 'pooled' (the final hidden state [batch, dirs·H]: forward, then reverse).
 * Weights: 'embedding.weight', 'lstm.<l>.weight_ih' [dirs, 4H, in], 'lstm.<l>.weight_hh'
 * [dirs, 4H, H], 'lstm.<l>.bias' [dirs, 8H] (ONNX layout: gates i, o, f, c; input then recurrent
 * biases), 'classifier.weight|bias'. Dropout masks (train form): 'dropout.embedding'
 * [batch, seq, E], 'dropout.lstm.<l>' (between layers and before the classifier).
 */
export const lstm = recurrentRecipe('LSTM');
