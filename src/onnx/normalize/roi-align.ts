import type { Rule } from './context.js';

/**
 * RoiAlign-16 added coordinate_transformation_mode with default "half_pixel"; RoiAlign-10
 * behaved as "output_half_pixel" (no half-pixel offset), which must now be said explicitly.
 */
export const roiAlignRule: Rule = {
  ops: ['RoiAlign'],
  apply(node, rw) {
    if (rw.opset < 16 && !node.has('coordinate_transformation_mode')) node.setAttr('coordinate_transformation_mode', 'output_half_pixel');
  },
};
