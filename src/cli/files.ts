/**
 * Input files of the CLI: `.npy` (see npy.ts), `.json` (nested arrays, a number, or
 * `{ "shape": [...], "data": [...], "dtype"?: ... }`) and `.csv` (rows of numbers), or `-` for standard
 * input (format recognised from the content). Every problem is a one-line InputFileError naming the
 * file; sizes are checked before reading, so a huge or lying file cannot exhaust memory.
 */
import { closeSync, fstatSync, openSync, readSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { NpyArray } from './npy.js';
import { encodeNpy, InputFileError, looksLikeNpy, parseNpy } from './npy.js';

/** Default limit on an input file's size (and on the data a .npy header may claim): 1 GiB. */
export const DEFAULT_MAX_INPUT_BYTES = 1 << 30;

/** The limit in force: LOSSKIT_MAX_INPUT_BYTES when set to a positive integer, else the default. */
export function maxInputBytes(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.LOSSKIT_MAX_INPUT_BYTES;
  if (raw === undefined || raw === '') return DEFAULT_MAX_INPUT_BYTES;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_MAX_INPUT_BYTES;
}

/**
 * The most bytes of JSON or CSV text read (64 MiB, or LOSSKIT_MAX_INPUT_BYTES when that is lower).
 * Text is parsed into JavaScript values first, which costs several times the file's size, so large
 * tensors belong in .npy files, which are read in place.
 */
export const MAX_TEXT_INPUT_BYTES = 64 * 2 ** 20;

const TEXT_EXTENSIONS = new Set(['.json', '.csv', '.txt']);

export interface FileTensor {
  data: Float64Array | Float32Array | Int32Array | BigInt64Array | Uint8Array;
  shape: number[];
  /** The dtype as stored in the file (json and csv give float64). */
  dtype: string;
}

export interface ReadContext {
  maxBytes: number;
  /** Standard input, read once when a file is '-' (reading may stop past maxBytes). */
  stdin?: (maxBytes: number) => Uint8Array;
}

/**
 * Reads a whole file, refusing one larger than maxBytes before reading it (`limitText` names the
 * limit in the message).
 */
export function readBounded(
  path: string,
  maxBytes: number,
  limitText = inputLimitText(maxBytes),
): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputFileError(
      `${path}: cannot open (${code === 'ENOENT' ? 'no such file' : (code ?? (e as Error).message)})`,
    );
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputFileError(`${path}: is a directory, not a file`);
    if (st.size > maxBytes) {
      throw new InputFileError(`${path}: ${st.size} bytes is above ${limitText}`);
    }
    const out = new Uint8Array(st.size);
    let off = 0;
    while (off < out.length) {
      const n = readSync(fd, out, off, out.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === out.length ? out : out.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

type Format = 'npy' | 'json' | 'csv';

function formatOf(path: string, bytes: Uint8Array): Format {
  const ext = extname(path).toLowerCase();
  if (ext === '.npy') return 'npy';
  if (ext === '.json') return 'json';
  if (ext === '.csv' || ext === '.txt') return 'csv';
  if (looksLikeNpy(bytes)) return 'npy';
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  if (bytes[i] === 0x5b || bytes[i] === 0x7b) return 'json'; // '[' or '{'
  if (path === '-') return 'csv';
  throw new InputFileError(
    `${path}: unknown file type '${ext || '(no extension)'}'; use .npy, .json or .csv`,
  );
}

/** Reads one input file (or '-' for standard input) into a tensor. */
export function readTensorFile(path: string, ctx: ReadContext): FileTensor {
  let bytes: Uint8Array;
  if (path === '-') {
    if (ctx.stdin === undefined) throw new InputFileError('-: standard input is not available');
    bytes = ctx.stdin(ctx.maxBytes);
    if (bytes.length > ctx.maxBytes) {
      throw new InputFileError(
        `-: standard input is above the input limit of ${ctx.maxBytes} bytes (LOSSKIT_MAX_INPUT_BYTES)`,
      );
    }
  } else {
    const text = TEXT_EXTENSIONS.has(extname(path).toLowerCase());
    bytes = text
      ? readBounded(path, textLimit(ctx.maxBytes), textLimitName(ctx.maxBytes))
      : readBounded(path, ctx.maxBytes);
  }
  const label = path === '-' ? '(stdin)' : path;
  const format = formatOf(path, bytes);
  if (format !== 'npy') checkTextSize(bytes.length, ctx.maxBytes, label);
  switch (format) {
    case 'npy': {
      const a: NpyArray = parseNpy(bytes, label, ctx.maxBytes);
      return { data: a.data, shape: a.shape, dtype: a.dtype };
    }
    case 'json':
      return parseJsonTensor(decodeUtf8(bytes, label), label);
    case 'csv':
      return parseCsv(decodeUtf8(bytes, label), label);
  }
}

/** The limit on JSON and CSV text: MAX_TEXT_INPUT_BYTES or the input limit, whichever is lower. */
export function textLimit(maxBytes: number): number {
  return Math.min(maxBytes, MAX_TEXT_INPUT_BYTES);
}

function inputLimitText(maxBytes: number): string {
  return `the input limit of ${maxBytes} bytes (LOSSKIT_MAX_INPUT_BYTES)`;
}

/** How the limit on text is named in messages. */
export function textLimitName(maxBytes: number): string {
  return maxBytes <= MAX_TEXT_INPUT_BYTES
    ? inputLimitText(maxBytes)
    : `the limit of ${MAX_TEXT_INPUT_BYTES} bytes on JSON/CSV text (save large tensors as .npy)`;
}

function checkTextSize(size: number, maxBytes: number, label: string): void {
  const limit = textLimit(maxBytes);
  if (size > limit) {
    throw new InputFileError(`${label}: ${size} bytes is above ${textLimitName(maxBytes)}`);
  }
}

/**
 * JSON.parse without a reviver (V8 parses nesting of any depth without recursion, a reviver does
 * not), then the strings "NaN", "Infinity" and "-Infinity" become numbers, walking iteratively.
 */
export function parseJsonWithNonFinite(text: string): unknown {
  const root: unknown = JSON.parse(text);
  const nf = nonFiniteName(root);
  if (nf !== undefined) return nf;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        const n = nonFiniteName(x);
        if (n !== undefined) v[i] = n;
        else if (x !== null && typeof x === 'object') stack.push(x);
      }
    } else {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        const x = o[k];
        const n = nonFiniteName(x);
        // defineProperty, not assignment: a JSON key "__proto__" stays an own data property.
        if (n !== undefined) Object.defineProperty(o, k, { value: n });
        else if (x !== null && typeof x === 'object') stack.push(x);
      }
    }
  }
  return root;
}

/** Decodes UTF-8 (a leading byte-order mark is dropped), refusing invalid bytes. */
export function decodeUtf8(bytes: Uint8Array, label: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputFileError(`${label}: not valid UTF-8 text`);
  }
}

/** "NaN", "Infinity", "-Infinity" (the strings losskit writes) as numbers, else undefined. */
export function nonFiniteName(x: unknown): number | undefined {
  if (x === 'NaN') return NaN;
  if (x === 'Infinity') return Infinity;
  if (x === '-Infinity') return -Infinity;
  return undefined;
}

function cellNumber(x: unknown, label: string, where: string): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'boolean') return x ? 1 : 0;
  const nf = nonFiniteName(x);
  if (nf !== undefined) return nf;
  throw new InputFileError(
    `${label}: ${where} must be a number (or "NaN", "Infinity", "-Infinity"), got ${short(x)}`,
  );
}

function short(x: unknown): string {
  const s = JSON.stringify(x) ?? String(x);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

const JSON_DTYPES = new Map<string, 'float64' | 'float32' | 'int32'>([
  ['float64', 'float64'],
  ['float32', 'float32'],
  ['int32', 'int32'],
  ['int64', 'int32'],
]);

/** Nested arrays (rectangular), a number, or { shape, data, dtype? } with flat data. */
export function parseJsonTensor(text: string, label: string): FileTensor {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputFileError(`${label}: not valid JSON (${(e as Error).message})`);
  }
  return jsonValueToTensor(value, label);
}

export function jsonValueToTensor(value: unknown, label: string): FileTensor {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (k !== 'shape' && k !== 'data' && k !== 'dtype') {
        throw new InputFileError(
          `${label}: unknown key '${k}' (a tensor object has "shape", "data" and optionally "dtype")`,
        );
      }
    }
    const data = Object.hasOwn(o, 'data') ? o.data : undefined;
    if (!Array.isArray(data)) {
      throw new InputFileError(`${label}: a tensor object needs "data", a flat array of numbers`);
    }
    const shape = Object.hasOwn(o, 'shape') ? o.shape : [data.length];
    if (
      !Array.isArray(shape) ||
      !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)
    ) {
      throw new InputFileError(`${label}: "shape" must be an array of non-negative integers`);
    }
    const dims = shape as number[];
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) {
      throw new InputFileError(
        `${label}: "shape" [${dims.join(', ')}] holds ${count} elements but "data" has ${data.length}`,
      );
    }
    const dtypeName = Object.hasOwn(o, 'dtype') ? o.dtype : 'float64';
    const dtype = typeof dtypeName === 'string' ? JSON_DTYPES.get(dtypeName) : undefined;
    if (dtype === undefined) {
      throw new InputFileError(
        `${label}: "dtype" must be one of ${[...JSON_DTYPES.keys()].join(', ')}, got ${short(dtypeName)}`,
      );
    }
    const out =
      dtype === 'float32'
        ? new Float32Array(data.length)
        : dtype === 'int32'
          ? new Int32Array(data.length)
          : new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = cellNumber(data[i], label, `data[${i}]`);
      if (dtype === 'int32' && !(Number.isInteger(v) && v >= -2147483648 && v <= 2147483647)) {
        throw new InputFileError(`${label}: data[${i}] = ${v} is not an int32 integer`);
      }
      out[i] = v;
    }
    return { data: out, shape: dims.slice(), dtype };
  }
  if (!Array.isArray(value)) {
    if (typeof value === 'number')
      return { data: new Float64Array([value]), shape: [], dtype: 'float64' };
    const nf = nonFiniteName(value);
    if (nf !== undefined) return { data: new Float64Array([nf]), shape: [], dtype: 'float64' };
    throw new InputFileError(
      `${label}: expected nested arrays of numbers, a number or { "shape", "data" }, got ${short(value)}`,
    );
  }
  // Nested arrays: the shape is read down the first elements, then every array is checked against it.
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(count);
  const rank = shape.length;
  let k = 0;
  // Iterative walk with an explicit stack of (array, index) pairs: no recursion depth limit.
  const arrays: unknown[][] = [value as unknown[]];
  const idx: number[] = [0];
  const path = (): string =>
    idx
      .slice(0, arrays.length)
      .map((i) => `[${i}]`)
      .join('');
  while (arrays.length > 0) {
    const d = arrays.length - 1;
    const arr = arrays[d];
    if (arr.length !== shape[d]) {
      idx.length = d;
      throw new InputFileError(
        `${label}: ragged nested arrays: element ${path() || '(top)'} has length ${arr.length}, expected ${shape[d]}`,
      );
    }
    const i = idx[d];
    if (i >= arr.length) {
      arrays.pop();
      idx.pop();
      if (idx.length > 0) idx[idx.length - 1]++;
      continue;
    }
    const el = arr[i];
    if (d === rank - 1) {
      if (Array.isArray(el)) {
        throw new InputFileError(
          `${label}: ragged nested arrays: element ${path()} is an array where a number was expected`,
        );
      }
      data[k++] = cellNumber(el, label, `element ${path()}`);
      idx[d]++;
    } else {
      if (!Array.isArray(el)) {
        throw new InputFileError(
          `${label}: ragged nested arrays: element ${path()} is ${short(el)} where an array of length ${shape[d + 1]} was expected`,
        );
      }
      arrays.push(el as unknown[]);
      idx.push(0);
    }
  }
  return { data, shape, dtype: 'float64' };
}

const CSV_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const CSV_SPECIAL = new Map<string, number>([
  ['nan', NaN],
  ['inf', Infinity],
  ['+inf', Infinity],
  ['-inf', -Infinity],
  ['infinity', Infinity],
  ['+infinity', Infinity],
  ['-infinity', -Infinity],
]);

/** A cell for a message, at most 30 characters. */
function cellText(c: string): string {
  return c.length > 30 ? `${c.slice(0, 30)}…` : c;
}

/**
 * Rows of comma-separated numbers (NaN / inf / -inf accepted, any case), RFC 4180 style: a cell may
 * be quoted ("1.5", with "" for a quote inside, commas and line breaks allowed inside the quotes),
 * lines end in LF, CRLF or CR, a leading byte-order mark is ignored, and spaces around cells are
 * trimmed. Blank lines and lines starting with '#' are skipped. One column gives a 1-D tensor (N),
 * several a 2-D tensor (N, C); every row must have the same number of cells.
 */
export function parseCsv(text: string, label: string): FileTensor {
  const n = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let cols = -1;
  let rows = 0;
  const values: number[] = [];
  const cells: string[] = [];
  const cellLines: number[] = [];
  const fail = (at: number, what: string): never => {
    throw new InputFileError(`${label}: line ${at}: ${what}`);
  };
  const endOfLine = (): void => {
    // Consumes one LF, CRLF or CR at pos.
    if (text[pos] === '\r') pos++;
    if (text[pos] === '\n') pos++;
    line++;
  };
  while (pos < n) {
    // Start of a record: skip blank lines and comments.
    let p = pos;
    while (p < n && (text[p] === ' ' || text[p] === '\t')) p++;
    if (p >= n) break;
    if (text[p] === '\n' || text[p] === '\r') {
      pos = p;
      endOfLine();
      continue;
    }
    if (text[p] === '#') {
      while (p < n && text[p] !== '\n' && text[p] !== '\r') p++;
      pos = p;
      if (pos < n) endOfLine();
      continue;
    }
    const recordLine = line;
    cells.length = 0;
    cellLines.length = 0;
    // One record: cells separated by commas, ended by a line break outside quotes or the end.
    for (;;) {
      while (pos < n && (text[pos] === ' ' || text[pos] === '\t')) pos++;
      let cell: string;
      const cellLine = line;
      if (text[pos] === '"') {
        pos++;
        let buf = '';
        for (;;) {
          const q = text.indexOf('"', pos);
          if (q < 0) fail(cellLine, 'unterminated quoted cell (a " without its closing ")');
          const chunk = text.slice(pos, q);
          for (let i = 0; i < chunk.length; i++) if (chunk[i] === '\n') line++;
          buf += chunk;
          if (text[q + 1] === '"') {
            buf += '"';
            pos = q + 2;
            continue;
          }
          pos = q + 1;
          break;
        }
        while (pos < n && (text[pos] === ' ' || text[pos] === '\t')) pos++;
        if (pos < n && text[pos] !== ',' && text[pos] !== '\n' && text[pos] !== '\r') {
          fail(line, `unexpected ${JSON.stringify(text[pos])} after a quoted cell`);
        }
        cell = buf.trim();
      } else {
        let e = pos;
        while (e < n && text[e] !== ',' && text[e] !== '\n' && text[e] !== '\r') e++;
        cell = text.slice(pos, e).trim();
        if (cell.includes('"')) fail(line, `stray quote in cell '${cellText(cell)}'`);
        pos = e;
      }
      cells.push(cell);
      cellLines.push(cellLine);
      if (pos < n && text[pos] === ',') {
        pos++;
        continue;
      }
      if (pos < n) endOfLine();
      break;
    }
    if (cols < 0) cols = cells.length;
    else if (cells.length !== cols) {
      throw new InputFileError(
        `${label}: line ${recordLine} has ${cells.length} cells, the first row has ${cols}`,
      );
    }
    for (let ci = 0; ci < cells.length; ci++) {
      const c = cells[ci];
      const v = CSV_NUMBER.test(c) ? Number(c) : CSV_SPECIAL.get(c.toLowerCase());
      if (v === undefined) {
        throw new InputFileError(
          `${label}: line ${cellLines[ci]}, column ${ci + 1}: ${c === '' ? 'empty cell' : `'${cellText(c)}' is not a number`}${rows === 0 ? ' (a header row? remove it or start it with #)' : ''}`,
        );
      }
      values.push(v);
    }
    rows++;
  }
  if (rows === 0) throw new InputFileError(`${label}: no data rows`);
  const shape = cols === 1 ? [rows] : [rows, cols];
  return { data: Float64Array.from(values), shape, dtype: 'float64' };
}

/** Writes a gradient as .npy in its own float dtype. */
export function writeNpyFile(
  path: string,
  data: Float32Array | Float64Array,
  shape: readonly number[],
): void {
  writeFileSync(path, encodeNpy(data, shape));
}

export { InputFileError };
