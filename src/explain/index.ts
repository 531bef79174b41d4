/**
 * Explaining predictions end to end — a model file or a run's checkpoint, an input (tensors, an
 * image, a sentence, a dataset example), Captum's methods by name — for the CLI, the dashboard
 * and the demo.
 */
export { explain, explainSubject, type ExplainRequest } from './explain.js';
export { attributedTo, explanationHtml, explanationJson, explanationPng, summaryLines, textView, type Explanation, type MethodResult } from './explanation.js';
export { resolveModel, trainingDataset, type ModelRef } from './model-ref.js';
export { methodParams, resolveTarget, targetLabel, type ExplainOptions, type Prediction, type ResolvedTarget } from './params.js';
export { resolveSubject, SubjectSessions, type Subject, type SubjectRequest } from './subject.js';
