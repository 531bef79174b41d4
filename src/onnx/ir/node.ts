import { GlassboxError } from '../../util/errors.js';
import type { StringStringEntryProto, TensorProto } from '../proto/types.js';
import type { Attribute, AttributeInput } from './attribute.js';
import type { Graph } from './graph.js';

/**
 * Attribute names whose values are floats in every standard op that has them. A whole number
 * given for one of these (alpha: 1) is still written as a float; any other name takes a whole
 * number as an int. Use `{type: 'float', value}` for anything else.
 */
const FLOAT_ATTRIBUTES = new Set([
  'alpha', 'beta', 'gamma', 'epsilon', 'momentum', 'lambd', 'ratio', 'bias', 'spatial_scale',
  'extrapolation_value', 'cubic_coeff_a', 'min', 'max', 'value_float', 'threshold',
]);

export function toAttribute(name: string, input: AttributeInput): Attribute {
  if (typeof input === 'number') {
    return Number.isInteger(input) && !FLOAT_ATTRIBUTES.has(name) ? { type: 'int', value: input } : { type: 'float', value: input };
  }
  if (typeof input === 'string') return { type: 'string', value: input };
  if (Array.isArray(input)) {
    if (input.length > 0 && typeof input[0] === 'string') return { type: 'strings', value: input as string[] };
    const numbers = input as number[];
    return numbers.every(Number.isInteger) && !FLOAT_ATTRIBUTES.has(name) ? { type: 'ints', value: numbers } : { type: 'floats', value: numbers };
  }
  if (isAttribute(input)) return input;
  if ('dims' in input) return { type: 'tensor', value: input as TensorProto };
  return { type: 'graph', value: input as Graph };
}

function isAttribute(value: object): value is Attribute {
  return 'type' in value && 'value' in value && typeof (value as { type: unknown }).type === 'string';
}

/** One operator application. Inputs and outputs are value names; '' marks an omitted optional input. */
export class Node {
  opType: string;
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, Attribute>;
  docString?: string;
  overload?: string;
  metadataProps?: StringStringEntryProto[];
  /** Fields the file set to '' explicitly (kept so an unedited model re-encodes to the same bytes). */
  readonly keepEmpty = new Set<'name' | 'domain'>();

  constructor(init: {
    opType: string;
    inputs: string[];
    outputs: string[];
    name?: string;
    domain?: string;
    attributes?: Map<string, Attribute> | Record<string, AttributeInput | undefined>;
  }) {
    this.opType = init.opType;
    this.domain = init.domain ?? '';
    this.name = init.name ?? '';
    this.inputs = init.inputs;
    this.outputs = init.outputs;
    if (init.attributes instanceof Map) {
      this.attributes = init.attributes;
    } else {
      this.attributes = new Map();
      for (const [key, value] of Object.entries(init.attributes ?? {})) if (value !== undefined) this.attributes.set(key, toAttribute(key, value));
    }
  }

  /** A label for messages: `Conv node "conv1"` or `Conv node #12` when unnamed. */
  describe(index?: number): string {
    const label = this.name ? `"${this.name}"` : index !== undefined ? `#${index}` : `producing "${this.outputs[0] ?? '?'}"`;
    return `${this.opType} node ${label}`;
  }

  has(name: string): boolean {
    return this.attributes.has(name);
  }

  /** Input i, or undefined when absent or given as '' (omitted optional input). */
  input(i: number): string | undefined {
    const name = this.inputs[i];
    return name ? name : undefined;
  }

  setAttr(name: string, value: AttributeInput): this {
    this.attributes.set(name, toAttribute(name, value));
    return this;
  }

  int(name: string, fallback?: number): number {
    return this.read(name, 'int', fallback);
  }

  float(name: string, fallback?: number): number {
    const attr = this.attributes.get(name);
    // Some exporters write whole-number floats as ints; accept either.
    if (attr?.type === 'int') return attr.value;
    return this.read(name, 'float', fallback);
  }

  string(name: string, fallback?: string): string {
    return this.read(name, 'string', fallback);
  }

  ints(name: string, fallback?: number[]): number[] {
    return this.read(name, 'ints', fallback);
  }

  floats(name: string, fallback?: number[]): number[] {
    const attr = this.attributes.get(name);
    if (attr?.type === 'ints') return attr.value;
    return this.read(name, 'floats', fallback);
  }

  strings(name: string, fallback?: string[]): string[] {
    return this.read(name, 'strings', fallback);
  }

  tensor(name: string): TensorProto | undefined {
    const attr = this.attributes.get(name);
    if (attr === undefined) return undefined;
    if (attr.type !== 'tensor') throw this.wrongType(name, 'tensor', attr.type);
    return attr.value;
  }

  private read<T>(name: string, type: Attribute['type'], fallback: T | undefined): T {
    const attr = this.attributes.get(name);
    if (attr === undefined) {
      if (fallback === undefined) throw new GlassboxError('bad-model', `${this.describe()} is missing its required attribute "${name}"`);
      return fallback;
    }
    if (attr.type !== type) throw this.wrongType(name, type, attr.type);
    return attr.value as T;
  }

  private wrongType(name: string, want: string, got: string): GlassboxError {
    return new GlassboxError('bad-model', `${this.describe()}: attribute "${name}" should be of type ${want}, found ${got}`);
  }
}
