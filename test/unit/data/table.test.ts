import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../../src/data/index.js';
import { loadTextTable, loadVectorTable, readTable } from '../../../src/data/table.js';
import { GlassboxError } from '../../../src/util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'glassbox-table-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
function file(name: string, content: string): string {
  const path = join(dir, `${counter++}-${name}`);
  writeFileSync(path, content);
  return path;
}

/** Runs `f`, expects a one-line GlassboxError matching `pattern`. */
function oneLineError(f: () => unknown, pattern: RegExp): void {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(GlassboxError);
  const message = (error as Error).message;
  expect(message).not.toMatch(/\n/);
  expect(message).toMatch(pattern);
}

const reviews = Array.from({ length: 20 }, (_, i) => [`review number ${i} was ${i % 2 ? 'great' : 'awful'}`, i % 2 ? 'pos' : 'neg']);

describe('CSV and JSONL tables', () => {
  it('parses RFC 4180 CSV: quotes, commas and line breaks in fields, CRLF, a BOM, blank lines', () => {
    const path = file('a.csv', '\ufefftext,label\r\n"Hello, ""world""",pos\r\n\r\n"two\nlines",neg\r\nplain,pos\r\n');
    const table = readTable(path);
    expect(table.columns).toEqual(['text', 'label']);
    expect(table.rows.map((r) => r.values.get('text'))).toEqual(['Hello, "world"', 'two\nlines', 'plain']);
    expect(table.rows.map((r) => r.line)).toEqual([2, 4, 6]);
  });

  it('loads a text table with a seeded stratified split, the same on every call', () => {
    const path = file('reviews.csv', ['text,label', ...reviews.map(([t, l]) => `${t},${l}`)].join('\n'));
    const a = loadTextTable(path);
    const b = loadTextTable(path);
    expect(a.kind).toBe('tokens');
    expect(a.classes).toEqual(['neg', 'pos']);
    expect([a.train.size, a.test.size]).toEqual([16, 4]);
    expect([...a.test.labels].sort()).toEqual([0, 0, 1, 1]);
    expect(a.test.texts).toEqual(b.test.texts);
    expect(a.test.texts.some((t) => a.train.texts.includes(t))).toBe(false);
    const other = loadTextTable(path, { seed: 7 });
    expect(other.test.texts).not.toEqual(a.test.texts);
    // The vocabulary comes from the training split only.
    const testOnly = a.test.texts.map((t) => t.split(' ')[2]!);
    for (const w of testOnly) expect(a.vocabulary.includes(w)).toBe(false);
  });

  it('reads JSONL, a split column, a separate test file and numeric labels in numeric order', () => {
    const rows = reviews.map(([t], i) => JSON.stringify({ body: t, stars: i % 3 === 0 ? 10 : i % 3 === 1 ? 2 : 9, part: i < 15 ? 'train' : 'test' }));
    const path = file('r.jsonl', rows.join('\n') + '\n\n');
    const d = loadTextTable(path, { text: 'body', label: 'stars', splitColumn: 'part' });
    expect(d.classes).toEqual(['2', '9', '10']);
    expect([d.train.size, d.test.size]).toEqual([15, 5]);
    const test = file('t.jsonl', JSON.stringify({ body: 'fine', stars: 2 }));
    const e = loadTextTable(path, { text: 'body', label: 'stars', testPath: test });
    expect([e.train.size, e.test.size]).toEqual([20, 1]);
    expect(e.test.texts).toEqual(['fine']);
  });

  it('loads numeric feature tables, standardised with training statistics', () => {
    const lines = ['a,b,label', ...Array.from({ length: 10 }, (_, i) => `${i},${2 * i + 1},${i % 2 ? 'odd' : 'even'}`)];
    const d = loadVectorTable(file('v.csv', lines.join('\n')));
    expect(d.kind).toBe('vector');
    expect(d.shape).toEqual([2]);
    expect(d.features).toEqual(['a', 'b']);
    const x = d.train.inputs(Array.from({ length: d.train.size }, (_, i) => i));
    expect(x.shape).toEqual([d.train.size, 2]);
    const values = x.data as Float32Array;
    const mean = values.filter((_, k) => k % 2 === 0).reduce((s, v) => s + v, 0) / d.train.size;
    expect(Math.abs(mean)).toBeLessThan(1e-6);
    const raw = loadVectorTable(file('v.csv', lines.join('\n')), { standardize: false, features: ['b'] });
    expect(raw.shape).toEqual([1]);
    expect([...(raw.train.inputs([0]).data as Float32Array)][0]! % 2).toBe(1);
  });

  it('accepts arrays of numbers in JSONL feature cells', () => {
    const rows = Array.from({ length: 10 }, (_, i) => JSON.stringify({ x: [i, -i, 1], y: i % 2 }));
    const d = loadVectorTable(file('v.jsonl', rows.join('\n')), { label: 'y', standardize: false });
    expect(d.features).toEqual(['x[0]', 'x[1]', 'x[2]']);
    expect(d.classes).toEqual(['0', '1']);
  });

  it('loadDataset takes a table path: text when there is a text column, numbers otherwise', () => {
    const text = file('t.csv', ['text,label', ...reviews.map(([t, l]) => `${t},${l}`)].join('\n'));
    expect(loadDataset(text).kind).toBe('tokens');
    const numbers = file('n.csv', ['f1,f2,label', ...Array.from({ length: 10 }, (_, i) => `${i},${i * i},${i % 2}`)].join('\n'));
    expect(loadDataset(numbers).kind).toBe('vector');
  });
});

describe('table errors are one line and say where', () => {
  it('missing columns, with a suggestion', () => {
    const path = file('m.csv', 'text,lable\nhello,pos\nbye,neg\n');
    oneLineError(() => loadTextTable(path), /no label column "label" \(did you mean "lable"\?\)/);
    oneLineError(() => loadTextTable(path, { text: 'body', label: 'lable' }), /no text column "body"/);
  });

  it('empty files and header-only files', () => {
    oneLineError(() => loadTextTable(file('e.csv', '')), /the file is empty/);
    oneLineError(() => loadTextTable(file('e.jsonl', '\n  \n')), /the file is empty/);
    oneLineError(() => loadTextTable(file('h.csv', 'text,label\n')), /no rows below the header/);
  });

  it('ragged rows', () => {
    oneLineError(() => loadTextTable(file('r.csv', 'text,label\nhello,pos\nhi,there,neg\n')), /:3: ragged row: 3 fields, the header has 2/);
    const rows = [JSON.stringify({ x: [1, 2], y: 0 }), JSON.stringify({ x: [1], y: 1 })];
    oneLineError(() => loadVectorTable(file('r.jsonl', rows.join('\n')), { label: 'y' }), /:2: ragged row: 1 feature values, the first row has 2/);
  });

  it('non-numeric feature values', () => {
    oneLineError(() => loadVectorTable(file('n.csv', 'a,label\n1,x\n2,y\nthree,x\n')), /:4: non-numeric value "three" in feature column "a"/);
    oneLineError(() => loadVectorTable(file('n.jsonl', '{"a":1,"label":0}\n{"a":"NaN","label":1}')), /:2: non-numeric value "NaN"/);
    oneLineError(() => loadVectorTable(file('n2.csv', 'a,label\n1,x\n,y\n')), /:3: "a" is missing or empty/);
  });

  it('malformed files and options', () => {
    oneLineError(() => loadTextTable(file('q.csv', 'text,label\n"never closed,pos\n')), /:2: a quoted field is never closed/);
    oneLineError(() => loadTextTable(file('j.jsonl', '{"text":"a","label":1}\n{"text": oops}\n')), /:2: not valid JSON/);
    oneLineError(() => loadTextTable(file('j2.jsonl', '[1,2]\n')), /:1: each line must be a JSON object/);
    oneLineError(() => loadTextTable(file('x.txt', 'text,label\na,b\n')), /pass format 'csv', 'tsv' or 'jsonl'/);
    oneLineError(() => loadTextTable(join(dir, 'nope.csv')), /cannot read the file/);
    oneLineError(() => loadTextTable(file('d.csv', 'text,text\na,b\n')), /column "text" appears twice/);
    oneLineError(() => loadTextTable(file('s.csv', 'text,label,part\na,x,train\nb,y,valid\n'), { splitColumn: 'part' }), /:3: .*must say train or test, got "valid"/);
    oneLineError(() => loadTextTable(file('o.csv', 'text,label,part\na,x,train\nb,y,train\n'), { splitColumn: 'part' }), /no test examples/);
  });
});
