import { dtypeFromOnnx, type DType } from '../../tensor/dtype.js';
import type { ValueInfoProto } from '../proto/types.js';

/**
 * One dimension of a tensor type: a number when static, a string when symbolic ("batch", or a
 * name glassbox gives to a dimension it found to vary), null when nothing is known.
 */
export type Dim = number | string | null;

/** The declared type of a graph value (input, output or intermediate). */
export interface ValueInfo {
  name: string;
  /** ONNX element-type code (kept even for types glassbox does not compute with). */
  elemType?: number;
  /** Dimensions; undefined when even the rank is unknown. */
  shape?: Dim[];
  docString?: string;
  /**
   * The message this was decoded from, re-emitted verbatim while elemType and shape still agree
   * with it, so denotations, metadata and non-tensor types survive a round trip.
   */
  proto?: ValueInfoProto;
}

export function valueDType(info: ValueInfo | undefined): DType | undefined {
  return info?.elemType === undefined ? undefined : dtypeFromOnnx(info.elemType);
}

export function isStaticShape(shape: readonly Dim[] | undefined): shape is number[] {
  return shape !== undefined && shape.every((d) => typeof d === 'number');
}
