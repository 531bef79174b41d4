/**
 * The dashboard API's response bodies: the contract between src/server and web/. Plain data
 * types with no imports, so the web app (its own tsconfig, DOM types) can import them as types.
 */

export interface ApiError {
  error: string;
}

export type RunStatus = 'running' | 'completed' | 'failed' | 'imported';

export interface MetricsPoint {
  step: number;
  epoch: number;
  lr: number;
  trainLoss?: number;
  trainAccuracy?: number;
  testLoss?: number;
  testAccuracy?: number;
  elapsed?: number;
}

export interface RunSummary {
  id: string;
  name: string;
  created: string;
  finished?: string;
  status: RunStatus;
  message?: string;
  interrupted: boolean;
  recipe?: string;
  dataset?: string;
  seed?: number;
  steps: number;
  checkpoints: number;
  bestTestAccuracy?: number;
}

export interface RunsResponse {
  runs: RunSummary[];
}

export interface CheckpointSummary {
  step: number;
  epoch?: number;
  metrics?: MetricsPoint;
  bytes: number;
  created: string;
}

/** What the run's model reads, from its dataset: decides which input box the dashboard shows. */
export interface RunInput {
  kind: 'image' | 'vector' | 'tokens';
  shape: number[];
  classes: string[];
  /** Size of the test split ("pick a test example"). */
  testExamples: number;
}

export interface RunDetail {
  run: RunSummary & { config: Record<string, unknown> };
  /** Null when the run's dataset cannot be loaded here (an imported series, say). */
  input: RunInput | null;
  checkpoints: CheckpointSummary[];
  /** Every metrics row by step: the training curves. */
  metrics: MetricsPoint[];
}

export interface ExampleSummary {
  index: number;
  label: number;
  labelName: string;
  /** The sentence of a text example. */
  text?: string;
}

export interface ExamplesResponse {
  size: number;
  examples: ExampleSummary[];
}

export interface LayerSummary {
  name: string;
  op: string;
  shape: (number | string | null)[] | null;
}

export interface LayersResponse {
  layers: LayerSummary[];
}

export interface MethodSummary {
  name: string;
  title: string;
  family: 'gradient' | 'perturbation' | 'layer' | 'neuron';
  /** Layer and neuron methods need a layer. */
  needsLayer: boolean;
  needsNeuron: boolean;
}

export interface MethodsResponse {
  methods: MethodSummary[];
}

export interface AnalysisSummary<R = unknown> {
  id: number;
  step?: number;
  kind: string;
  params: Record<string, unknown>;
  result: R;
  created: string;
}

export interface AnalysesResponse {
  analyses: AnalysisSummary[];
}

/**
 * The contract of stored analyses of kind 'information': one sigma and entropy per token — per
 * word of a sentence, or per patch of an image (then `image` says where the patches are, and
 * `tokens` name them 'row,col').
 */
export interface InformationResult {
  tokens: string[];
  layers: { name: string; sigma: number[]; entropy: number[] }[];
  /** The largest sigma the measure allowed. */
  scale?: number;
  image?: { height: number; width: number; patch: number; across: number; down: number; picture?: string };
}

export interface AttributeRequest {
  methods: string[];
  text?: string;
  example?: number;
  /** An image file (PNG, JPEG, WebP) in base64, or as a data URL. */
  image?: string;
  target?: string;
  layer?: string;
  neuron?: number[];
  steps?: number;
  /** Occlusion: the sliding window and its strides, per input dim after the batch dim. */
  window?: number[];
  strides?: number[];
}

/** One method's answer, as explanationJson writes it (the fields the dashboard reads). */
export interface MethodExplanation {
  method: string;
  title: string;
  model: string;
  input: string;
  attributedTo: string;
  params: Record<string, unknown>;
  target: number | number[] | null;
  prediction?: { class: number; label?: string; probability: number }[];
  label?: number;
  attribution: { shape: number[]; dtype: string; data: number[] };
  delta?: number[];
  tokens?: { token: string; value: number; word: number | null }[];
  words?: { word: string; value: number }[];
  /** Words of a text outside the model's vocabulary, read as its unknown token. */
  unknownWords?: string[];
  seconds: number;
}

export interface AttributeResponse {
  run: string;
  step: number;
  /** Class names of the model, when it has them. */
  classes?: string[];
  results: MethodExplanation[];
  /** For images: the input and each method's map side by side, as a PNG data URL. */
  png?: string;
  /** Why there is no picture when there could have been one. */
  note?: string;
}
