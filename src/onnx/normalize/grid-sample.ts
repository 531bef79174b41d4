import type { Rule } from './context.js';

/** GridSample-20 renamed its modes: bilinear -> linear, bicubic -> cubic (nearest unchanged). */
const RENAMED: Record<string, string> = { bilinear: 'linear', bicubic: 'cubic' };

export const gridSampleRule: Rule = {
  ops: ['GridSample'],
  apply(node, rw) {
    if (rw.opset >= 20) return;
    const mode = node.string('mode', 'bilinear');
    node.setAttr('mode', RENAMED[mode] ?? mode);
  },
};
