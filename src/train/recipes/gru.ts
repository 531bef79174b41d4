import { recurrentRecipe } from './recurrent.js';

/**
 * GRU text classifier on input_ids [batch, seq] (0 = PAD, padding at the end of each row),
 * with linear_before_reset = 1, which is how PyTorch's nn.GRU computes the candidate state.
 *
 * Hooks: 'embeddings' [batch, seq, E] (the embedding lookup, the cut point for attribution),
 * 'layer1' … 'layerL' (each GRU layer's outputs, [batch, seq, dirs·H], zero past a row's end),
 * 'pooled' (the final hidden state [batch, dirs·H]: forward, then reverse).
 * Weights: 'embedding.weight', 'gru.<l>.weight_ih' [dirs, 3H, in], 'gru.<l>.weight_hh'
 * [dirs, 3H, H], 'gru.<l>.bias' [dirs, 6H] (ONNX layout: gates z, r, h; input then recurrent
 * biases), 'classifier.weight|bias'. Dropout masks (train form): 'dropout.embedding'
 * [batch, seq, E], 'dropout.gru.<l>' (between layers and before the classifier).
 */
export const gru = recurrentRecipe('GRU');
