/** Shape, indexing and data-movement ops. */
import type { GradientRule } from '../../types.js';
import { Concat } from './Concat.js';
import { DepthToSpace } from './DepthToSpace.js';
import { Expand } from './Expand.js';
import { Flatten } from './Flatten.js';
import { Gather } from './Gather.js';
import { GatherElements } from './GatherElements.js';
import { GatherND } from './GatherND.js';
import { Pad } from './Pad.js';
import { Reshape } from './Reshape.js';
import { Resize } from './Resize.js';
import { ScatterElements } from './ScatterElements.js';
import { ScatterND } from './ScatterND.js';
import { Slice } from './Slice.js';
import { SpaceToDepth } from './SpaceToDepth.js';
import { Split } from './Split.js';
import { Squeeze } from './Squeeze.js';
import { Tile } from './Tile.js';
import { TopK } from './TopK.js';
import { Transpose } from './Transpose.js';
import { Unsqueeze } from './Unsqueeze.js';

export const SHAPE_RULES: readonly GradientRule[] = [
  Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Expand, Tile, Concat, Split, Slice, Pad,
  Gather, GatherElements, GatherND, ScatterElements, ScatterND, TopK, Resize, DepthToSpace, SpaceToDepth,
];
