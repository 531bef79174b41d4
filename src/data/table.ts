/**
 * A user's own data: CSV, TSV or JSONL tables.
 *
 * - `loadTextTable(path, {text, label})`: a text column and a label column → a 'tokens' dataset
 *   (same tokenizer and vocabulary rules as the shipped text datasets).
 * - `loadVectorTable(path, {label, features?})`: numeric feature columns → a 'vector' dataset,
 *   standardised by default with the training split's mean and standard deviation per feature.
 *
 * CSV follows RFC 4180 (a header row; fields in double quotes may hold commas, quotes written ""
 * and line breaks; a UTF-8 byte-order mark is ignored; blank lines are skipped). JSONL is one JSON
 * object per line. Classes are the distinct labels, in numeric order when all are integers and in
 * code-unit order otherwise (or as `classes` lists them).
 *
 * The split: `testPath` (a second file), else `splitColumn` (values train / test), else a seeded
 * stratified 80/20 split (`testFraction`, `seed`); identical texts stay in one split.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Dataset } from '../train/types.js';
import { GlassboxError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import { groupedStratifiedSplit } from './split.js';
import { floatSplit } from './splits.js';
import { buildTextDataset, type TextDataset, type TextOptions } from './text.js';
import { tokenize } from './tokenizer.js';

export type TableFormat = 'csv' | 'tsv' | 'jsonl';

export interface Table {
  path: string;
  columns: string[];
  /** Cell values by column name, with the 1-based line each row starts on. */
  rows: { line: number; values: Map<string, unknown> }[];
}

export function tableFormat(path: string, format?: TableFormat): TableFormat {
  if (format !== undefined) {
    if (format !== 'csv' && format !== 'tsv' && format !== 'jsonl') throw new GlassboxError('bad-option', `format must be 'csv', 'tsv' or 'jsonl', got ${JSON.stringify(format)}`);
    return format;
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new GlassboxError('bad-option', `${path}: cannot tell the table format from the extension "${ext}"; pass format 'csv', 'tsv' or 'jsonl'`);
}

/** Reads a CSV/TSV/JSONL file into rows of named cells. */
export function readTable(path: string, format?: TableFormat): Table {
  const kind = tableFormat(path, format);
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new Error('a directory');
    text = readFileSync(path, 'utf8');
  } catch {
    throw new GlassboxError('not-found', `${path}: cannot read the file`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new GlassboxError('bad-data', `${path}: the file is empty`);
  return kind === 'jsonl' ? parseJsonl(path, text) : parseDelimited(path, text, kind === 'csv' ? ',' : '\t');
}

/** RFC 4180 records with the line each starts on. */
function* records(path: string, text: string, delimiter: string): Generator<{ line: number; fields: string[] }> {
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let wasQuoted = false;
    for (;;) {
      if (i >= n) {
        if (quoted) throw new GlassboxError('bad-data', `${path}:${start}: a quoted field is never closed`);
        fields.push(field);
        break;
      }
      const c = text[i]!;
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            quoted = false;
            i++;
          }
        } else {
          if (c === '\n') line++;
          field += c;
          i++;
        }
      } else if (c === '"' && field === '' && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
        i++;
      } else if (c === delimiter) {
        fields.push(field);
        field = '';
        wasQuoted = false;
        i++;
      } else if (c === '\n' || c === '\r') {
        fields.push(field);
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        break;
      } else {
        if (wasQuoted && c !== ' ') throw new GlassboxError('bad-data', `${path}:${line}: text after a closing quote (write a quote inside a quoted field as "")`);
        if (!wasQuoted) field += c;
        i++;
      }
    }
    if (fields.length === 1 && fields[0]!.trim() === '' && !wasQuoted) continue; // blank line
    yield { line: start, fields };
  }
}

function parseDelimited(path: string, text: string, delimiter: string): Table {
  const iterator = records(path, text, delimiter);
  const first = iterator.next();
  if (first.done) throw new GlassboxError('bad-data', `${path}: the file is empty`);
  const columns = first.value.fields.map((f) => f.trim());
  checkColumns(path, columns);
  const rows: Table['rows'] = [];
  for (const { line, fields } of iterator) {
    if (fields.length !== columns.length) {
      throw new GlassboxError('bad-data', `${path}:${line}: ragged row: ${fields.length} field${fields.length === 1 ? '' : 's'}, the header has ${columns.length}`);
    }
    rows.push({ line, values: new Map(columns.map((c, k) => [c, fields[k]])) });
  }
  if (rows.length === 0) throw new GlassboxError('bad-data', `${path}: no rows below the header`);
  return { path, columns, rows };
}

function checkColumns(path: string, columns: string[]): void {
  const seen = new Set<string>();
  columns.forEach((c, k) => {
    if (c === '') throw new GlassboxError('bad-data', `${path}:1: column ${k + 1} of the header has no name`);
    if (seen.has(c)) throw new GlassboxError('bad-data', `${path}:1: column "${c}" appears twice in the header`);
    seen.add(c);
  });
}

function parseJsonl(path: string, text: string): Table {
  const columns: string[] = [];
  const known = new Set<string>();
  const rows: Table['rows'] = [];
  text.split('\n').forEach((raw, k) => {
    const source = raw.trim();
    if (source === '') return;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      throw new GlassboxError('bad-data', `${path}:${k + 1}: not valid JSON (${(error as Error).message})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new GlassboxError('bad-data', `${path}:${k + 1}: each line must be a JSON object`);
    const values = new Map(Object.entries(value));
    for (const c of values.keys()) {
      if (!known.has(c)) {
        known.add(c);
        columns.push(c);
      }
    }
    rows.push({ line: k + 1, values });
  });
  if (rows.length === 0) throw new GlassboxError('bad-data', `${path}: the file is empty`);
  return { path, columns, rows };
}

function requireColumn(table: Table, column: string, role: string): void {
  if (!table.columns.includes(column)) {
    throw new GlassboxError('bad-data', `${table.path}: no ${role} column "${column}"${didYouMean(column, table.columns)}; the columns are ${table.columns.map((c) => `"${c}"`).join(', ')}`);
  }
}

function cell(table: Table, row: Table['rows'][number], column: string): unknown {
  const value = row.values.get(column);
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    throw new GlassboxError('bad-data', `${table.path}:${row.line}: "${column}" is missing or empty`);
  }
  return value;
}

function labelOf(table: Table, row: Table['rows'][number], column: string): string {
  const value = cell(table, row, column);
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new GlassboxError('bad-data', `${table.path}:${row.line}: the label "${column}" must be a string or a number, got ${JSON.stringify(value).slice(0, 40)}`);
}

function classesOf(labels: string[], given: readonly string[] | undefined, path: string): string[] {
  if (given) {
    const known = new Set(given);
    if (known.size !== given.length) throw new GlassboxError('bad-option', `classes has duplicates: ${JSON.stringify(given)}`);
    const stray = labels.find((l) => !known.has(l));
    if (stray !== undefined) throw new GlassboxError('bad-data', `${path}: label "${stray}" is not one of the classes given (${given.join(', ')})`);
    return [...given];
  }
  const distinct = [...new Set(labels)];
  if (distinct.every((l) => /^-?\d+$/.test(l))) return distinct.sort((a, b) => Number(a) - Number(b));
  return distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface TableSplitOptions {
  format?: TableFormat;
  /** A second file with the test examples (same columns). */
  testPath?: string;
  /** A column saying 'train' or 'test' for each row. */
  splitColumn?: string;
  /** Otherwise: this share of each class goes to test (default 0.2)… */
  testFraction?: number;
  /** …chosen by a shuffle with this seed (default 0). */
  seed?: number;
  /** Class names in label-index order (default: the distinct labels, sorted). */
  classes?: readonly string[];
  /** Dataset name (default: the file name). */
  name?: string;
}

export interface TextTableOptions extends TableSplitOptions, TextOptions {
  /** The text column (default 'text'). */
  text?: string;
  /** The label column (default 'label'). */
  label?: string;
}

interface Row {
  line: number;
  path: string;
  label: string;
}

/** Which rows are test rows, by the split options; validates the choice. */
function assignSplit<R extends Row>(tables: { table: Table; rows: R[] }[], options: TableSplitOptions, group: (r: R) => string): { train: R[]; test: R[] } {
  if (options.testPath !== undefined) return { train: tables[0]!.rows, test: tables[1]!.rows };
  const rows = tables[0]!.rows;
  let test: boolean[];
  if (options.splitColumn !== undefined) {
    const table = tables[0]!.table;
    requireColumn(table, options.splitColumn, 'split');
    test = table.rows.map((row) => {
      const v = String(cell(table, row, options.splitColumn!)).trim().toLowerCase();
      if (v !== 'train' && v !== 'test') throw new GlassboxError('bad-data', `${table.path}:${row.line}: the split column "${options.splitColumn}" must say train or test, got "${v}"`);
      return v === 'test';
    });
  } else {
    const fraction = options.testFraction ?? 0.2;
    if (!(fraction > 0 && fraction < 1)) throw new GlassboxError('bad-option', `testFraction must be between 0 and 1, got ${fraction}`);
    test = groupedStratifiedSplit(rows.map((r) => ({ group: group(r), stratum: r.label })), fraction, options.seed ?? 0);
  }
  return { train: rows.filter((_, i) => !test[i]), test: rows.filter((_, i) => test[i]) };
}

function checkSplits(path: string, train: unknown[], test: unknown[]): void {
  if (train.length === 0) throw new GlassboxError('bad-data', `${path}: no training examples after the split`);
  if (test.length === 0) throw new GlassboxError('bad-data', `${path}: no test examples after the split (add rows or change the split)`);
}

function tablesFor(path: string, options: TableSplitOptions): Table[] {
  if (options.testPath !== undefined && options.splitColumn !== undefined) throw new GlassboxError('bad-option', 'give testPath or splitColumn, not both');
  const tables = [readTable(path, options.format)];
  if (options.testPath !== undefined) {
    tables.push(readTable(options.testPath, options.format));
  }
  return tables;
}

/** A text classification dataset from a CSV/TSV/JSONL file with a text and a label column. */
export function loadTextTable(path: string, options: TextTableOptions = {}): TextDataset {
  const textColumn = options.text ?? 'text';
  const labelColumn = options.label ?? 'label';
  const tables = tablesFor(path, options).map((table) => {
    requireColumn(table, textColumn, 'text');
    requireColumn(table, labelColumn, 'label');
    const rows = table.rows.map((row) => {
      const value = cell(table, row, textColumn);
      if (typeof value !== 'string') throw new GlassboxError('bad-data', `${table.path}:${row.line}: the text "${textColumn}" must be a string, got ${JSON.stringify(value).slice(0, 40)}`);
      return { line: row.line, path: table.path, label: labelOf(table, row, labelColumn), text: value.trim() };
    });
    return { table, rows };
  });
  const { train, test } = assignSplit(tables, options, (r) => tokenize(r.text).join(' '));
  checkSplits(path, train, test);
  const classes = classesOf([...train, ...test].map((r) => r.label), options.classes, path);
  const index = new Map(classes.map((c, i) => [c, i]));
  const part = (rows: typeof train) => ({ texts: rows.map((r) => r.text), labels: rows.map((r) => index.get(r.label)!) });
  const { text: _t, label: _l, format: _f, testPath: _p, splitColumn: _s, testFraction: _q, seed: _seed, classes: _c, name: _n, ...textOptions } = options;
  return buildTextDataset(
    { name: options.name ?? basename(path), source: `${path}${options.testPath ? ` + ${options.testPath}` : ''}`, classes, train: part(train), test: part(test) },
    textOptions,
  );
}

export interface VectorTableOptions extends TableSplitOptions {
  /** The label column (default 'label'). */
  label?: string;
  /** Feature columns (default: every column but the label and split columns). A JSONL cell may hold an array of numbers. */
  features?: readonly string[];
  /** Subtract the training mean and divide by the training standard deviation per feature (default true). */
  standardize?: boolean;
}

export interface VectorDataset extends Dataset {
  kind: 'vector';
  /** Feature names, one per input dimension (an array cell c of length k gives c[0] … c[k−1]). */
  features: readonly string[];
  /** The per-feature shift and scale applied (mean 0 and std 1 when standardize is false). */
  standardization: { mean: Float32Array; std: Float32Array } | null;
}

/** A classification dataset of numeric feature vectors from a CSV/TSV/JSONL file. */
export function loadVectorTable(path: string, options: VectorTableOptions = {}): VectorDataset {
  const labelColumn = options.label ?? 'label';
  const loaded = tablesFor(path, options);
  const first = loaded[0]!;
  const features = options.features ? [...options.features] : first.columns.filter((c) => c !== labelColumn && c !== options.splitColumn);
  if (features.length === 0) throw new GlassboxError('bad-data', `${path}: no feature columns besides the label "${labelColumn}"`);
  let names: string[] | undefined;
  const tables = loaded.map((table) => {
    requireColumn(table, labelColumn, 'label');
    for (const f of features) requireColumn(table, f, 'feature');
    const rows = table.rows.map((row) => {
      const values: number[] = [];
      const rowNames: string[] = [];
      for (const f of features) {
        const v = cell(table, row, f);
        const items = Array.isArray(v) ? v : [v];
        items.forEach((item, k) => {
          values.push(numeric(table, row.line, f, item));
          rowNames.push(Array.isArray(v) ? `${f}[${k}]` : f);
        });
      }
      if (names === undefined) names = rowNames;
      else if (rowNames.length !== names.length) {
        throw new GlassboxError('bad-data', `${table.path}:${row.line}: ragged row: ${rowNames.length} feature values, the first row has ${names.length}`);
      }
      return { line: row.line, path: table.path, label: labelOf(table, row, labelColumn), values };
    });
    return { table, rows };
  });
  const { train, test } = assignSplit(tables, options, (r) => `${r.path}:${r.line}`);
  checkSplits(path, train, test);
  const classes = classesOf([...train, ...test].map((r) => r.label), options.classes, path);
  const index = new Map(classes.map((c, i) => [c, i]));
  const dim = names!.length;
  let standardization: VectorDataset['standardization'] = null;
  if (options.standardize ?? true) {
    const mean = new Float64Array(dim);
    const sq = new Float64Array(dim);
    for (const r of train) r.values.forEach((v, j) => (mean[j]! += v / train.length));
    for (const r of train) r.values.forEach((v, j) => (sq[j]! += (v - mean[j]!) ** 2 / train.length));
    // Constant features are only centred.
    standardization = { mean: Float32Array.from(mean), std: Float32Array.from(sq, (s) => (s > 0 ? Math.sqrt(s) : 1)) };
  }
  const pack = (rows: typeof train, what: string) => {
    const data = new Float32Array(rows.length * dim);
    rows.forEach((r, i) => r.values.forEach((v, j) => (data[i * dim + j] = standardization ? (v - standardization.mean[j]!) / standardization.std[j]! : v)));
    return floatSplit(what, [dim], data, Int32Array.from(rows, (r) => index.get(r.label)!));
  };
  const name = options.name ?? basename(path);
  return {
    name,
    kind: 'vector',
    shape: Object.freeze([dim]),
    classes: Object.freeze(classes),
    train: pack(train, `${name} train`),
    test: pack(test, `${name} test`),
    source: `${path}${options.testPath ? ` + ${options.testPath}` : ''}`,
    features: Object.freeze(names!),
    standardization,
  };
}

function numeric(table: Table, line: number, column: string, value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
  if (!Number.isFinite(n)) {
    throw new GlassboxError('bad-data', `${table.path}:${line}: non-numeric value ${JSON.stringify(value).slice(0, 40)} in feature column "${column}"`);
  }
  return n;
}
