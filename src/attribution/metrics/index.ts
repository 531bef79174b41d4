/** Attribution metrics: infidelity and sensitivity (Captum's definitions), deletion/insertion curves (RISE). */
export type { AttributionMethod } from '../types.js';
export { infidelity, gaussianPerturbation, infidelityPerturbFuncDecorator } from './infidelity.js';
export type { InfidelityOptions, InfidelityPerturbation, InfidelityPerturbFunc, PerturbContext } from './infidelity.js';
export { sensitivityMax, uniformPerturbation, rowNorms } from './sensitivity.js';
export type { NormOrd, SensitivityOptions, SensitivityPerturbFunc } from './sensitivity.js';
export { deletionCurve, insertionCurve, trapezoidAuc, gaussianBlur } from './deletion-insertion.js';
export type { CurveBaseline, CurveFeatures, CurveOptions, PerturbationCurve } from './deletion-insertion.js';
