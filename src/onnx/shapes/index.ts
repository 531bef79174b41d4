export { inferShapes, type InferShapesOptions } from './infer.js';
export { supportedOps } from './registry.js';
export { SymbolTable } from './symbolic.js';
export type { Cause, KnownValue, ShapeReport, ValueReport, ValueType } from './types.js';
