import { Tensor } from '../../tensor/tensor.js';
import type { Node } from '../ir/node.js';
import type { Rewriter, Rule } from './context.js';

/**
 * Upsample (opset 9) and Resize-10/11 become Resize in its opset-19 form: inputs (X, roi,
 * scales, sizes) and explicit coordinate and rounding modes.
 *
 * Before opset 11 the only coordinate mapping was `asymmetric` (x_in = x_out / scale), and
 * nearest rounding was what onnxruntime calls SIMPLE: truncation on an upsampled axis, ceil on
 * a downsampled one. Truncation is `floor` here (the coordinates are never negative). Upsample
 * only upsamples (its scales must be >= 1), so it always maps to floor.
 */
export const upsampleRule: Rule = {
  ops: ['Upsample'],
  apply(node, rw) {
    const mode = node.string('mode', 'nearest');
    if (mode !== 'nearest' && mode !== 'linear') throw rw.fail(node, `mode "${mode}" has no Resize equivalent`);
    if (!node.input(1)) throw rw.fail(node, 'the scales input is missing');
    node.opType = 'Resize';
    node.inputs = [node.inputs[0] ?? '', '', node.inputs[1] ?? ''];
    setModes(node, mode, 'asymmetric', mode === 'nearest' ? 'floor' : undefined);
  },
};

export const resizeRule: Rule = {
  ops: ['Resize'],
  apply(node, rw) {
    if (rw.opset < 11) resize10(node, rw);
    else resize11(node, rw);
  },
};

function resize10(node: Node, rw: Rewriter): void {
  const mode = node.string('mode', 'nearest');
  const [x = '', scales = ''] = node.inputs;
  node.inputs = [x, '', scales];
  if (mode !== 'nearest') {
    setModes(node, mode, 'asymmetric', undefined);
    return;
  }
  const values = rw.constantNumbers(scales);
  if (!values) throw rw.fail(node, 'its nearest rounding depends on whether each axis is up- or downsampled, and the scales are not constant');
  if (values.every((s) => s >= 1) || values.every((s) => s <= 1)) {
    setModes(node, mode, 'asymmetric', values.every((s) => s >= 1) ? 'floor' : 'ceil');
    return;
  }
  // Mixed: upsample some axes (floor), then downsample the others (ceil), each Resize on its own axes.
  const upAxes = values.flatMap((s, i) => (s > 1 ? [i] : []));
  const downAxes = values.flatMap((s, i) => (s < 1 ? [i] : []));
  const scalesOf = (axes: number[]): string => rw.constant('scales', Tensor.float32([axes.length], axes.map((a) => values[a]!)));
  const upsampled = rw.fresh(`${node.outputs[0] ?? 'resize'}_up`);
  const first = rw.opInto('Resize', [x, '', scalesOf(upAxes)], [upsampled], { axes: upAxes });
  setModes(first, mode, 'asymmetric', 'floor');
  node.inputs = [upsampled, '', scalesOf(downAxes)];
  node.setAttr('axes', downAxes);
  setModes(node, mode, 'asymmetric', 'ceil');
}

/**
 * Resize-11..21: `tf_half_pixel_for_nn` (removed at opset 13) is x_in = (x_out + 0.5) / scale,
 * which is half_pixel plus 0.5; for nearest that shift moves into the rounding
 * (floor(h + 0.5) = round_prefer_ceil(h), round_prefer_floor(h + 0.5) = ceil(h)). roi only
 * matters for tf_crop_and_resize, and scales must be omitted when sizes are given (opset 13).
 */
function resize11(node: Node, rw: Rewriter): void {
  const mode = node.string('mode', 'nearest');
  let coordinates = node.string('coordinate_transformation_mode', 'half_pixel');
  let nearest = mode === 'nearest' ? node.string('nearest_mode', 'round_prefer_floor') : undefined;
  if (coordinates === 'tf_half_pixel_for_nn') {
    const shifted = nearest === 'floor' ? 'round_prefer_ceil' : nearest === 'round_prefer_floor' ? 'ceil' : undefined;
    if (!shifted) throw rw.fail(node, `coordinate_transformation_mode "tf_half_pixel_for_nn" with mode "${mode}"${nearest ? ` and nearest_mode "${nearest}"` : ''} has no equivalent since opset 13`);
    coordinates = 'half_pixel';
    nearest = shifted;
  }
  const [x = '', roi = '', scales = '', sizes = ''] = node.inputs;
  const emptyScales = scales !== '' && rw.constantValue(scales)?.size === 0;
  const inputs = [x, coordinates === 'tf_crop_and_resize' ? roi : '', sizes && emptyScales ? '' : scales, sizes];
  while (inputs.length > 1 && inputs[inputs.length - 1] === '') inputs.pop();
  node.inputs = inputs;
  setModes(node, mode, coordinates, nearest);
}

function setModes(node: Node, mode: string, coordinates: string, nearest: string | undefined): void {
  node.setAttr('mode', mode);
  node.setAttr('coordinate_transformation_mode', coordinates);
  if (nearest !== undefined) node.setAttr('nearest_mode', nearest);
  else node.attributes.delete('nearest_mode');
}
