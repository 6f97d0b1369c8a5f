/**
 * A strict reader and writer of NumPy `.npy` files (format versions 1.0, 2.0 and 3.0, see
 * numpy/lib/format.py), written for the CLI: no dependency, every malformed byte is a one-line
 * `InputFileError` naming the file, and nothing is allocated before the header has been checked
 * against the file's actual size.
 *
 * Supported dtypes (C order only): float32 `<f4`, float64 `<f8`, int32 `<i4`, int64 `<i8` (read into
 * a BigInt64Array; the core converts it, as it does for PyTorch/NumPy labels), their big-endian forms
 * `>f4`, `>f8`, `>i4`, `>i8` (byte-swapped on reading), uint8 `|u1` and bool `|b1` (read as 0/1
 * bytes, every byte checked). Memory: a little-endian file's data is used in place when it sits at
 * an aligned offset of the bytes read (NumPy pads headers to 64 bytes), else copied once; a
 * big-endian file is swapped into one new buffer.
 */

/** Raised for an unreadable, corrupt or unsupported input file; the CLI exits 1 with its message. */
export class InputFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputFileError';
  }
}

/** NumPy's own default cap on the header (numpy.lib.format `_MAX_HEADER_SIZE`, 10000 bytes). */
export const MAX_NPY_HEADER_BYTES = 10000;

export type NpyDtype = 'float32' | 'float64' | 'int32' | 'int64' | 'uint8' | 'bool';

export type NpyData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: NpyData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

interface DescrKind {
  dtype: NpyDtype;
  size: number;
  /** Stored most significant byte first ('>'): swapped while reading. */
  bigEndian: boolean;
}

/**
 * descr → dtype; '|', '<' and '>' are accepted for the one-byte types (NumPy writes '|u1' / '|b1'),
 * '<' and '>' for the others.
 */
const DESCRS = new Map<string, DescrKind>([
  ['<f4', { dtype: 'float32', size: 4, bigEndian: false }],
  ['<f8', { dtype: 'float64', size: 8, bigEndian: false }],
  ['<i4', { dtype: 'int32', size: 4, bigEndian: false }],
  ['<i8', { dtype: 'int64', size: 8, bigEndian: false }],
  ['>f4', { dtype: 'float32', size: 4, bigEndian: true }],
  ['>f8', { dtype: 'float64', size: 8, bigEndian: true }],
  ['>i4', { dtype: 'int32', size: 4, bigEndian: true }],
  ['>i8', { dtype: 'int64', size: 8, bigEndian: true }],
  ['|u1', { dtype: 'uint8', size: 1, bigEndian: false }],
  ['<u1', { dtype: 'uint8', size: 1, bigEndian: false }],
  ['>u1', { dtype: 'uint8', size: 1, bigEndian: false }],
  ['|b1', { dtype: 'bool', size: 1, bigEndian: false }],
  ['<b1', { dtype: 'bool', size: 1, bigEndian: false }],
  ['>b1', { dtype: 'bool', size: 1, bigEndian: false }],
]);

const SUPPORTED =
  'float32 (<f4, >f4), float64 (<f8, >f8), int32 (<i4, >i4), int64 (<i8, >i8), uint8 (|u1), bool (|b1)';

/** At most this many characters of header text or dimensions are quoted in a message. */
const MAX_QUOTE = 80;

function excerpt(text: string): string {
  const t = text.trim();
  return t.length > MAX_QUOTE
    ? `${JSON.stringify(t.slice(0, MAX_QUOTE))}… (${t.length} characters)`
    : JSON.stringify(t);
}

/** A shape for a message: "(2, 3)", abbreviated past 8 dimensions. */
export function shapeText(shape: readonly number[]): string {
  if (shape.length <= 8) return `(${shape.join(', ')})`;
  return `(${shape.slice(0, 8).join(', ')}, … ${shape.length} dimensions)`;
}

/** True when the bytes start with the .npy magic string. */
export function looksLikeNpy(bytes: Uint8Array): boolean {
  if (bytes.length < MAGIC.length) return false;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) return false;
  return true;
}

interface Header {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

/**
 * Parses the header dictionary, a Python literal such as
 * `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }`. Only this grammar is accepted:
 * string keys, a string, a boolean and a tuple of non-negative integers.
 */
function parseHeader(text: string, file: string): Header {
  let pos = 0;
  const bad = (what: string): never => {
    throw new InputFileError(`${file}: bad .npy header (${what}): ${excerpt(text)}`);
  };
  const ws = (): void => {
    while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t' || text[pos] === '\n'))
      pos++;
  };
  const expect = (c: string): void => {
    ws();
    if (text[pos] !== c) bad(`expected '${c}' at position ${pos}`);
    pos++;
  };
  const str = (): string => {
    ws();
    const q = text[pos];
    if (q !== "'" && q !== '"') bad(`expected a string at position ${pos}`);
    const end = text.indexOf(q, pos + 1);
    if (end < 0) bad('unterminated string');
    const s = text.slice(pos + 1, end);
    pos = end + 1;
    return s;
  };
  const value = (key: string): string | boolean | number[] => {
    ws();
    const c = text[pos];
    if (c === "'" || c === '"') return str();
    if (text.startsWith('True', pos)) {
      pos += 4;
      return true;
    }
    if (text.startsWith('False', pos)) {
      pos += 5;
      return false;
    }
    if (c === '(') {
      pos++;
      const dims: number[] = [];
      for (;;) {
        ws();
        if (text[pos] === ')') {
          pos++;
          return dims;
        }
        const m = /^[0-9]+/.exec(text.slice(pos, pos + 20));
        if (m === null) bad(`'${key}' must be a tuple of non-negative integers`);
        const d = Number(m![0]);
        if (!Number.isSafeInteger(d)) bad(`dimension ${m![0]} is too large`);
        dims.push(d);
        pos += m![0].length;
        ws();
        if (text[pos] === ',') pos++;
        else if (text[pos] !== ')') bad(`expected ',' or ')' in '${key}'`);
      }
    }
    return bad(`unsupported value for '${key}'`);
  };
  const fields = new Map<string, string | boolean | number[]>();
  expect('{');
  for (;;) {
    ws();
    if (text[pos] === '}') {
      pos++;
      break;
    }
    const key = str();
    expect(':');
    if (fields.has(key)) bad(`duplicate key '${key}'`);
    fields.set(key, value(key));
    ws();
    if (text[pos] === ',') pos++;
    else if (text[pos] !== '}') bad(`expected ',' or '}' at position ${pos}`);
  }
  ws();
  if (pos !== text.length) bad('trailing characters after the dictionary');
  const descr = fields.get('descr');
  const fortran = fields.get('fortran_order');
  const shape = fields.get('shape');
  if (typeof descr !== 'string') bad("missing or non-string 'descr'");
  if (typeof fortran !== 'boolean') bad("missing or non-boolean 'fortran_order'");
  if (!Array.isArray(shape)) bad("missing or non-tuple 'shape'");
  for (const k of fields.keys()) {
    if (k !== 'descr' && k !== 'fortran_order' && k !== 'shape') {
      bad(`unknown key ${excerpt(k)}`);
    }
  }
  return { descr: descr as string, fortranOrder: fortran as boolean, shape: shape as number[] };
}

/**
 * Reads a .npy file's bytes. `maxBytes` bounds the data size a header may claim (checked before
 * anything is allocated); the data must fill the rest of the file exactly.
 */
export function parseNpy(bytes: Uint8Array, file: string, maxBytes: number): NpyArray {
  if (!looksLikeNpy(bytes)) {
    throw new InputFileError(`${file}: not a .npy file (it does not start with "\\x93NUMPY")`);
  }
  if (bytes.length < 10) throw new InputFileError(`${file}: truncated .npy file (no header)`);
  const major = bytes[6];
  const minor = bytes[7];
  let headerLen: number;
  let headerStart: number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major === 1 && minor === 0) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if ((major === 2 || major === 3) && minor === 0) {
    if (bytes.length < 12) throw new InputFileError(`${file}: truncated .npy file (no header)`);
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new InputFileError(
      `${file}: unsupported .npy format version ${major}.${minor} (1.0, 2.0 and 3.0 are read)`,
    );
  }
  if (headerLen > MAX_NPY_HEADER_BYTES) {
    throw new InputFileError(
      `${file}: .npy header of ${headerLen} bytes exceeds the limit of ${MAX_NPY_HEADER_BYTES} bytes`,
    );
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) {
    throw new InputFileError(
      `${file}: truncated .npy file (header claims ${headerLen} bytes, file has ${bytes.length - headerStart})`,
    );
  }
  let text = '';
  for (let i = headerStart; i < dataStart; i++) {
    const b = bytes[i];
    if (b > 0x7e || (b < 0x20 && b !== 0x0a && b !== 0x09)) {
      throw new InputFileError(`${file}: bad .npy header (non-ASCII byte 0x${b.toString(16)})`);
    }
    text += String.fromCharCode(b);
  }
  const header = parseHeader(text, file);
  const kind = DESCRS.get(header.descr);
  if (kind === undefined) {
    const hint = header.descr.startsWith('|O')
      ? ' (object arrays hold pickled Python objects, which are never read)'
      : '';
    throw new InputFileError(
      `${file}: unsupported .npy dtype ${header.descr.length <= 20 ? `'${header.descr}'` : excerpt(header.descr)}${hint}; supported: ${SUPPORTED}`,
    );
  }
  if (header.fortranOrder) {
    throw new InputFileError(
      `${file}: Fortran-order .npy arrays are not supported; save np.ascontiguousarray(arr) instead`,
    );
  }
  let count = 1;
  for (const d of header.shape) count *= d;
  const need = count * kind.size;
  if (!Number.isSafeInteger(need) || need > maxBytes) {
    throw new InputFileError(
      `${file}: .npy shape ${shapeText(header.shape)} needs ${need} bytes, above the limit of ${maxBytes} bytes (LOSSKIT_MAX_INPUT_BYTES)`,
    );
  }
  const have = bytes.length - dataStart;
  if (have < need) {
    throw new InputFileError(
      `${file}: truncated .npy data: shape ${shapeText(header.shape)} of ${kind.dtype} needs ${need} bytes, the file has ${have}`,
    );
  }
  if (have > need) {
    throw new InputFileError(
      `${file}: .npy file has ${have - need} bytes after the data of shape ${shapeText(header.shape)}`,
    );
  }
  const start = bytes.byteOffset + dataStart;
  let buf: ArrayBuffer;
  if (kind.bigEndian) {
    buf = swapped(view, dataStart, need, kind.size);
  } else if (start % kind.size === 0 && bytes.buffer instanceof ArrayBuffer) {
    // In place: the data is the rest of the file (checked above) at an aligned offset.
    buf = bytes.buffer;
  } else {
    // A copy into a fresh, aligned buffer (the file's bytes may sit at any offset).
    buf = bytes.buffer.slice(start, start + need) as ArrayBuffer;
  }
  const off = buf === bytes.buffer ? start : 0;
  const len = need / kind.size;
  let data: NpyData;
  switch (kind.dtype) {
    case 'float32':
      data = new Float32Array(buf, off, len);
      break;
    case 'float64':
      data = new Float64Array(buf, off, len);
      break;
    case 'int32':
      data = new Int32Array(buf, off, len);
      break;
    case 'int64':
      data = new BigInt64Array(buf, off, len);
      break;
    case 'uint8':
      data = new Uint8Array(buf, off, len);
      break;
    case 'bool': {
      const u = new Uint8Array(buf, off, len);
      for (let i = 0; i < u.length; i++) {
        if (u[i] > 1) {
          throw new InputFileError(
            `${file}: bool .npy data holds byte ${u[i]} at flat position ${i} (only 0 and 1 are booleans)`,
          );
        }
      }
      data = u;
      break;
    }
  }
  return { dtype: kind.dtype, shape: header.shape.slice(), data };
}

/** The `need` data bytes from `start`, each `size`-byte element reversed, in a fresh buffer. */
function swapped(view: DataView, start: number, need: number, size: number): ArrayBuffer {
  const out = new ArrayBuffer(need);
  const o = new DataView(out);
  if (size === 4) {
    for (let i = 0; i < need; i += 4) o.setUint32(i, view.getUint32(start + i, false), true);
  } else {
    for (let i = 0; i < need; i += 8) {
      o.setUint32(i, view.getUint32(start + i + 4, false), true);
      o.setUint32(i + 4, view.getUint32(start + i, false), true);
    }
  }
  return out;
}

/** Encodes a float32 or float64 array as a version 1.0 .npy file, C order. */
export function encodeNpy(data: Float32Array | Float64Array, shape: readonly number[]): Uint8Array {
  const descr = data instanceof Float32Array ? '<f4' : '<f8';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Pad with spaces so that magic + 4 + header (ending in '\n') is a multiple of 64, as NumPy does.
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  // Little-endian hosts (every platform Node runs on) store typed arrays little-endian.
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
