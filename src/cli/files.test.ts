/**
 * The JSON and CSV readers and the size-bounded file reading of the CLI.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_INPUT_BYTES,
  InputFileError,
  maxInputBytes,
  parseCsv,
  parseJsonTensor,
  readTensorFile,
} from './files.js';

function fails(fn: () => unknown, fragment: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InputFileError);
  expect((err as Error).message).toContain(fragment);
  expect((err as Error).message).not.toContain('\n');
}

describe('JSON input files', () => {
  it('reads nested arrays row-major with their shape', () => {
    const t = parseJsonTensor('[[1, 2, 3], [4, 5, 6]]', 'a.json');
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(t.data as ArrayLike<number>)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads { shape, data, dtype } objects and the strings NaN and ±Infinity', () => {
    const t = parseJsonTensor(
      '{"shape": [2, 2], "dtype": "float32", "data": [1.5, "NaN", "Infinity", "-Infinity"]}',
      'a.json',
    );
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(t.shape).toEqual([2, 2]);
    expect(Array.from(t.data as ArrayLike<number>)).toEqual([1.5, NaN, Infinity, -Infinity]);
  });

  it('reads a plain number as a 0-d tensor', () => {
    const t = parseJsonTensor('3', 'a.json');
    expect(t.shape).toEqual([]);
    expect(Array.from(t.data as ArrayLike<number>)).toEqual([3]);
  });

  it('rejects ragged nested arrays, naming the element', () => {
    fails(
      () => parseJsonTensor('[[1, 2], [3]]', 'r.json'),
      'r.json: ragged nested arrays: element [1]',
    );
    fails(() => parseJsonTensor('[[1, 2], 3]', 'r.json'), 'element [1] is 3 where an array');
    fails(() => parseJsonTensor('[1, [2]]', 'r.json'), 'element [1] is an array where a number');
  });

  it('rejects a non-numeric element, a shape that does not fit the data and an unknown dtype', () => {
    fails(() => parseJsonTensor('[1, "x"]', 'a.json'), 'element [1] must be a number');
    fails(
      () => parseJsonTensor('{"shape": [2, 2], "data": [1, 2, 3]}', 'a.json'),
      '"shape" [2, 2] holds 4 elements but "data" has 3',
    );
    fails(
      () => parseJsonTensor('{"data": [1], "dtype": "int8"}', 'a.json'),
      '"dtype" must be one of',
    );
    fails(() => parseJsonTensor('{"data": [1], "stride": 1}', 'a.json'), "unknown key 'stride'");
    fails(() => parseJsonTensor('{"data": [1.5], "dtype": "int32"}', 'a.json'), 'is not an int32');
  });

  it('rejects text that is not JSON', () => {
    fails(() => parseJsonTensor('[1, 2', 'a.json'), 'a.json: not valid JSON');
  });

  it('reads deeply nested arrays without recursion', () => {
    // 20000 levels of [[...[7]...]]: shape is 20000 ones and the single value 7.
    const depth = 20000;
    const t = parseJsonTensor(`${'['.repeat(depth)}7${']'.repeat(depth)}`, 'deep.json');
    expect(t.shape.length).toBe(depth);
    expect(Array.from(t.data as ArrayLike<number>)).toEqual([7]);
  });
});

describe('CSV input files', () => {
  it('reads rows of numbers as (rows, columns), and one column as a vector', () => {
    const m = parseCsv('1,2,3\n4,5,6\n', 'm.csv');
    expect(m.shape).toEqual([2, 3]);
    expect(Array.from(m.data as ArrayLike<number>)).toEqual([1, 2, 3, 4, 5, 6]);
    const v = parseCsv('0\n2\n1\n', 'v.csv');
    expect(v.shape).toEqual([3]);
    expect(Array.from(v.data as ArrayLike<number>)).toEqual([0, 2, 1]);
  });

  it('skips blank lines and # comments, accepts CRLF, spaces, exponents, nan and inf', () => {
    const t = parseCsv('# logits\r\n 1.5e-3 , -inf\r\n\r\nNaN, +2\r\n', 'a.csv');
    expect(t.shape).toEqual([2, 2]);
    expect(Array.from(t.data as ArrayLike<number>)).toEqual([1.5e-3, -Infinity, NaN, 2]);
  });

  it('rejects a non-numeric cell with its line and column, hinting at a header row', () => {
    fails(
      () => parseCsv('a,b\n1,2\n', 'h.csv'),
      "h.csv: line 1, column 1: 'a' is not a number (a header row?",
    );
    fails(() => parseCsv('1,2\n3,x\n', 'h.csv'), "line 2, column 2: 'x' is not a number");
    fails(() => parseCsv('1,,2\n', 'h.csv'), 'column 2: empty cell');
  });

  it('rejects rows of different lengths and a file without data', () => {
    fails(() => parseCsv('1,2\n3\n', 'r.csv'), 'line 2 has 1 cells, the first row has 2');
    fails(() => parseCsv('# nothing\n\n', 'e.csv'), 'e.csv: no data rows');
  });
});

describe('reading files with a size limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'losskit-files-'));

  it('refuses a file larger than the limit before reading it', () => {
    const path = join(dir, 'big.csv');
    writeFileSync(path, '1\n'.repeat(100));
    fails(
      () => readTensorFile(path, { maxBytes: 50 }),
      '200 bytes is above the input limit of 50 bytes',
    );
  });

  it('names a missing file and an unknown extension', () => {
    fails(
      () => readTensorFile(join(dir, 'nope.npy'), { maxBytes: 1000 }),
      'cannot open (no such file)',
    );
    const path = join(dir, 'data.bin');
    writeFileSync(path, 'xyz');
    fails(() => readTensorFile(path, { maxBytes: 1000 }), "unknown file type '.bin'");
  });

  it('recognises the format of standard input from its content', () => {
    const stdin = (): Uint8Array => new TextEncoder().encode('[1, 2]');
    expect(readTensorFile('-', { maxBytes: 1000, stdin }).shape).toEqual([2]);
    const csv = (): Uint8Array => new TextEncoder().encode('1,2\n3,4\n');
    expect(readTensorFile('-', { maxBytes: 1000, stdin: csv }).shape).toEqual([2, 2]);
  });

  it('takes the limit from LOSSKIT_MAX_INPUT_BYTES when it is a positive integer', () => {
    expect(maxInputBytes({ LOSSKIT_MAX_INPUT_BYTES: '4096' })).toBe(4096);
    expect(maxInputBytes({ LOSSKIT_MAX_INPUT_BYTES: '-1' })).toBe(DEFAULT_MAX_INPUT_BYTES);
    expect(maxInputBytes({})).toBe(DEFAULT_MAX_INPUT_BYTES);
  });
});
