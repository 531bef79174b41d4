export { InformationMeasure, information } from './measure.js';
export { informationForText, type TextInformation, type TextInformationOptions } from './text.js';
export { defaultUnits, resolveUnits, unitsPerPatch, unitsPerPixel, unitsPerPosition, type ResolvedUnits, type UnitMap } from './units.js';
export { defaultScale, embeddingTable } from './scale.js';
export { INFORMATION_DEFAULTS } from './options.js';
export { EARLY_STOP_DEFAULTS } from './plateau.js';
export type {
  EarlyStopOptions,
  InformationInput,
  InformationOptions,
  InformationProgress,
  InformationResult,
  InformationSetup,
  LayerInformation,
  NormalizerSource,
} from './types.js';
export { ranks, spearman } from './compare.js';
export { measureText, measureTensor, type MeasureRequest, type TextRequest } from './request.js';
export { measureImage, defaultPatch, DEFAULT_PATCHES_PER_SIDE, type ImageRequest } from './image.js';
export { chooseLayers, DEFAULT_MAX_LAYERS, type LayerChoice } from './layers.js';
export { exposePositions, positionName } from './positions.js';
export { keptAuc, keptGap, adjacentCorrelation, neighbourEffect, meanError, pearson } from './profile.js';
export * from './report/index.js';
