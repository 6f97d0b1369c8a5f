/**
 * The .npy reader and writer. Well-formed files come from NumPy itself (tools/golden/gen_npy.py
 * writes test/fixtures/npy/ with np.lib.format.write_array); corrupt files are derived from them
 * here, byte by byte, with the derivation beside each test.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeNpy, InputFileError, MAX_NPY_HEADER_BYTES, parseNpy } from './npy.js';

const dir = new URL('../../test/fixtures/npy/', import.meta.url);
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, dir)));
const LIMIT = 1 << 20;

function rejects(bytes: Uint8Array, fragment: string, limit = LIMIT): void {
  let err: unknown;
  try {
    parseNpy(bytes, 'f.npy', limit);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InputFileError);
  const msg = (err as Error).message;
  expect(msg.startsWith('f.npy: ')).toBe(true);
  expect(msg).toContain(fragment);
  expect(msg).not.toContain('\n');
}

/** A v1.0 file with the given header text (padded as NumPy pads) and data bytes. */
function handMade(header: string, data: Uint8Array): Uint8Array {
  let h = header;
  h += ' '.repeat((64 - ((10 + h.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, h.length, true);
  for (let i = 0; i < h.length; i++) out[10 + i] = h.charCodeAt(i);
  out.set(data, 10 + h.length);
  return out;
}

describe('reading .npy files written by NumPy', () => {
  it('reads float64 logits of shape (4, 5) in C order', () => {
    const a = parseNpy(fixture('logits.npy'), 'logits.npy', LIMIT);
    expect(a.dtype).toBe('float64');
    expect(a.shape).toEqual([4, 5]);
    expect(a.data).toBeInstanceOf(Float64Array);
    // logits32.npy is NumPy's astype(float32) of the same array: rounding what we read must match it.
    const b = parseNpy(fixture('logits32.npy'), 'logits32.npy', LIMIT);
    expect(b.dtype).toBe('float32');
    expect(Array.from(Float32Array.from(a.data as Float64Array))).toEqual(
      Array.from(b.data as Float32Array),
    );
    expect(new Set(a.data as Float64Array).size).toBe(20);
  });

  it('reads int64 labels into a BigInt64Array, as NumPy saves integer labels', () => {
    const a = parseNpy(fixture('labels.npy'), 'labels.npy', LIMIT);
    expect(a.dtype).toBe('int64');
    expect(a.shape).toEqual([4]);
    expect(a.data).toBeInstanceOf(BigInt64Array);
    for (const v of a.data as BigInt64Array) expect(v >= 0n && v < 5n).toBe(true);
  });

  it('reads int32 extremes, uint8 and bool exactly', () => {
    const i = parseNpy(fixture('int32.npy'), 'int32.npy', LIMIT);
    expect(i.dtype).toBe('int32');
    expect(i.shape).toEqual([2, 3]);
    expect(Array.from(i.data as Int32Array)).toEqual([1, -2, 3, 2147483647, -2147483648, 0]);
    const u = parseNpy(fixture('uint8.npy'), 'uint8.npy', LIMIT);
    expect(u.dtype).toBe('uint8');
    expect(Array.from(u.data as Uint8Array)).toEqual([0, 1, 255, 7]);
    const b = parseNpy(fixture('bool.npy'), 'bool.npy', LIMIT);
    expect(b.dtype).toBe('bool');
    expect(b.shape).toEqual([2, 2]);
    expect(Array.from(b.data as Uint8Array)).toEqual([1, 0, 0, 1]);
  });

  it('reads a version 2.0 header, a 0-d array and an empty (0, 3) array', () => {
    const v2 = parseNpy(fixture('v2.npy'), 'v2.npy', LIMIT);
    expect(v2.shape).toEqual([2, 3]);
    expect(Array.from(v2.data as Float64Array)).toEqual([0, 1, 2, 3, 4, 5]);
    const s = parseNpy(fixture('scalar.npy'), 'scalar.npy', LIMIT);
    expect(s.shape).toEqual([]);
    expect(Array.from(s.data as Float64Array)).toEqual([2.5]);
    const e = parseNpy(fixture('empty.npy'), 'empty.npy', LIMIT);
    expect(e.dtype).toBe('float32');
    expect(e.shape).toEqual([0, 3]);
    expect(e.data.length).toBe(0);
  });
});

describe('reading big-endian .npy files by swapping bytes', () => {
  // The *_be.npy files are NumPy's astype('>f8' / '>f4' / '>i4' / '>i8') of the little-endian
  // fixtures (tools/golden/gen_npy.py): swapping must give exactly the same numbers.
  it('reads >f8, >f4, >i4 and >i8 as the little-endian originals, element for element', () => {
    const pairs: [string, string, string][] = [
      ['logits_be.npy', 'logits.npy', 'float64'],
      ['logits32_be.npy', 'logits32.npy', 'float32'],
      ['int32_be.npy', 'int32.npy', 'int32'],
      ['labels_be.npy', 'labels.npy', 'int64'],
    ];
    for (const [be, le, dtype] of pairs) {
      const a = parseNpy(fixture(be), be, LIMIT);
      const b = parseNpy(fixture(le), le, LIMIT);
      expect(a.dtype).toBe(dtype);
      expect(a.shape).toEqual(b.shape);
      expect(a.data.constructor).toBe(b.data.constructor);
      expect(Array.from(a.data as ArrayLike<number | bigint>)).toEqual(
        Array.from(b.data as ArrayLike<number | bigint>),
      );
    }
  });

  it('reads the big-endian arange(3) fixture as 0, 1, 2', () => {
    // bigendian.npy is np.arange(3, dtype='>f8').
    const a = parseNpy(fixture('bigendian.npy'), 'bigendian.npy', LIMIT);
    expect(a.dtype).toBe('float64');
    expect(Array.from(a.data as Float64Array)).toEqual([0, 1, 2]);
  });
});

describe('reading .npy data without needless copies', () => {
  it('uses the bytes read in place when the data sits at an aligned offset', () => {
    // NumPy pads the header so the data starts at byte 128 of logits.npy: a multiple of 8.
    const bytes = fixture('logits.npy');
    const a = parseNpy(bytes, 'logits.npy', LIMIT);
    expect(a.data.buffer).toBe(bytes.buffer);
    expect(a.data.byteOffset).toBe(bytes.byteOffset + 128);
  });

  it('copies once into an aligned buffer when the bytes sit at an odd offset, same values', () => {
    const bytes = fixture('logits.npy');
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const odd = shifted.subarray(1);
    const a = parseNpy(odd, 'logits.npy', LIMIT);
    expect(a.data.buffer).not.toBe(shifted.buffer);
    expect(Array.from(a.data as Float64Array)).toEqual(
      Array.from(parseNpy(bytes, 'logits.npy', LIMIT).data as Float64Array),
    );
  });
});

describe('rejecting hostile .npy headers with short one-line messages', () => {
  const header = (dict: string, data = new Uint8Array(8)): Uint8Array => handMade(dict, data);

  it('rejects header values of the wrong type', () => {
    rejects(
      header("{'descr': 8, 'fortran_order': False, 'shape': (1,), }"),
      "unsupported value for 'descr'",
    );
    rejects(
      header("{'descr': '<f8', 'fortran_order': 'False', 'shape': (1,), }"),
      "missing or non-boolean 'fortran_order'",
    );
    rejects(
      header("{'descr': '<f8', 'fortran_order': False, 'shape': [1], }"),
      "unsupported value for 'shape'",
    );
    rejects(
      header("{'descr': '<f8', 'fortran_order': False, 'shape': (1.5,), }"),
      "expected ',' or ')' in 'shape'",
    );
    rejects(
      header("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,), }"),
      "duplicate key 'descr'",
    );
    rejects(header("{'descr': '<f8', 'fortran_order': False, }"), "missing or non-tuple 'shape'");
    rejects(
      header("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)} extra"),
      'trailing characters after the dictionary',
    );
  });

  it('rejects a shape whose element count overflows, before allocating', () => {
    // 2^40 · 2^40 float64 elements = 2^83 bytes: not a safe integer, far above any limit.
    rejects(
      header(`{'descr': '<f8', 'fortran_order': False, 'shape': (${2 ** 40}, ${2 ** 40}), }`),
      `.npy shape (${2 ** 40}, ${2 ** 40}) needs`,
    );
    rejects(
      header("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }"),
      'dimension 99999999999999999999 is too large',
    );
  });

  it('rejects a shape that needs more data than the file holds, and more than it holds', () => {
    // (3,) float64 needs 24 bytes: 8 given is short, 32 given leaves 8 trailing bytes.
    rejects(
      header("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"),
      'needs 24 bytes, the file has 8',
    );
    rejects(
      header("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", new Uint8Array(32)),
      'has 8 bytes after the data of shape (3)',
    );
  });

  it('keeps messages short for a 3,000-dimension shape and a long garbage header', () => {
    const dims = Array.from({ length: 3000 }, () => '1').join(', ');
    const many = header(
      `{'descr': '<f8', 'fortran_order': False, 'shape': (${dims}), }`,
      new Uint8Array(0),
    );
    let msg = '';
    try {
      parseNpy(many, 'f.npy', LIMIT);
    } catch (e) {
      msg = (e as Error).message;
    }
    // One element of 8 bytes is needed and the file has 0.
    expect(msg).toContain('needs 8 bytes, the file has 0');
    expect(msg).toContain('… 3000 dimensions)');
    expect(msg.length).toBeLessThan(300);
    const garbage = header(`{'descr' ${'x'.repeat(5000)}`, new Uint8Array(0));
    rejects(garbage, "expected ':'");
    try {
      parseNpy(garbage, 'f.npy', LIMIT);
    } catch (e) {
      expect((e as Error).message.length).toBeLessThan(300);
    }
  });

  it('rejects a version 2.0 header length above the cap, and a non-ASCII header byte', () => {
    const v2 = fixture('v2.npy').slice();
    new DataView(v2.buffer).setUint32(8, 2 ** 31, true);
    rejects(v2, `header of ${2 ** 31} bytes exceeds the limit of ${MAX_NPY_HEADER_BYTES} bytes`);
    const bytes = fixture('uint8.npy').slice();
    bytes[12] = 0xff;
    rejects(bytes, 'non-ASCII byte 0xff');
  });

  it('rejects a file cut inside the magic string or the version bytes', () => {
    const full = fixture('uint8.npy');
    rejects(full.subarray(0, 4), 'not a .npy file');
    rejects(full.subarray(0, 7), 'truncated .npy file (no header)');
    rejects(fixture('v2.npy').subarray(0, 11), 'truncated .npy file (no header)');
  });
});

describe('rejecting .npy files it cannot read exactly', () => {
  it('rejects Fortran order with advice to save a C-contiguous copy', () => {
    rejects(fixture('fortran.npy'), 'Fortran-order .npy arrays are not supported');
  });

  it('rejects complex, object, half and unsigned 32-bit dtypes, naming the dtype', () => {
    rejects(fixture('complex.npy'), "unsupported .npy dtype '<c16'");
    // '|O' is NumPy's object dtype (pickled Python objects): never read, whatever the bytes.
    const obj = handMade(
      "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }",
      new Uint8Array(8),
    );
    rejects(obj, "unsupported .npy dtype '|O' (object arrays hold pickled Python objects");
    rejects(
      handMade("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(4)),
      "unsupported .npy dtype '<f2'; supported: float32 (<f4, >f4)",
    );
    rejects(
      handMade("{'descr': '<u4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)),
      "unsupported .npy dtype '<u4'",
    );
  });

  it('rejects a file truncated inside the data', () => {
    // logits.npy holds 20 float64 = 160 data bytes; dropping the last 8 leaves 152.
    const full = fixture('logits.npy');
    rejects(full.subarray(0, full.length - 8), 'needs 160 bytes, the file has 152');
  });

  it('rejects a file truncated inside the header, and one without a header', () => {
    const full = fixture('logits.npy');
    rejects(full.subarray(0, 40), 'truncated .npy file (header claims');
    rejects(full.subarray(0, 8), 'truncated .npy file (no header)');
  });

  it('rejects trailing bytes after the data', () => {
    const full = fixture('uint8.npy');
    const longer = new Uint8Array(full.length + 3);
    longer.set(full);
    rejects(longer, 'has 3 bytes after the data');
  });

  it('rejects a header whose shape claims more than the size limit, before allocating', () => {
    // (100000, 100000) float64 = 8e10 bytes, far above a 1 MiB limit; the file itself is tiny.
    const bytes = handMade(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }",
      new Uint8Array(8),
    );
    rejects(bytes, 'needs 80000000000 bytes, above the limit of 1048576 bytes');
  });

  it('rejects a header length above NumPy’s 10000-byte cap', () => {
    const bytes = fixture('uint8.npy').slice();
    new DataView(bytes.buffer).setUint16(8, MAX_NPY_HEADER_BYTES + 1, true);
    rejects(bytes, `header of ${MAX_NPY_HEADER_BYTES + 1} bytes exceeds the limit`);
  });

  it('rejects a missing magic string, an unknown version and malformed dictionaries', () => {
    rejects(new TextEncoder().encode('1,2,3\n'), 'not a .npy file');
    const v9 = fixture('uint8.npy').slice();
    v9[6] = 9;
    rejects(v9, 'unsupported .npy format version 9.0');
    rejects(handMade("{'descr': '<f8', 'shape': (1,), }", new Uint8Array(8)), "'fortran_order'");
    rejects(
      handMade(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}",
        new Uint8Array(8),
      ),
      'bad .npy header',
    );
    rejects(
      handMade("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", new Uint8Array(8)),
      "'shape' must be a tuple of non-negative integers",
    );
    rejects(handMade("['descr']", new Uint8Array(0)), "expected '{'");
  });

  it('rejects a bool byte other than 0 or 1', () => {
    const bytes = fixture('bool.npy').slice();
    bytes[bytes.length - 1] = 2;
    rejects(bytes, 'bool .npy data holds byte 2 at flat position 3');
  });
});

describe('writing .npy files', () => {
  it('round-trips float32 and float64 data with their dtype and shape', () => {
    const f32 = new Float32Array([1.5, -2, 3.25, Math.fround(0.1), NaN, -Infinity]);
    const a = parseNpy(encodeNpy(f32, [2, 3]), 'a', LIMIT);
    expect(a.dtype).toBe('float32');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data as Float32Array)).toEqual(Array.from(f32));
    const f64 = new Float64Array([0.1, 1e-300]);
    const b = parseNpy(encodeNpy(f64, [2]), 'b', LIMIT);
    expect(b.dtype).toBe('float64');
    expect(Array.from(b.data as Float64Array)).toEqual([0.1, 1e-300]);
  });

  it('pads the header so the data starts on a 64-byte boundary, as NumPy does', () => {
    const bytes = encodeNpy(new Float64Array(3), [3]);
    const headerLen = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLen) % 64).toBe(0);
    expect(bytes[10 + headerLen - 1]).toBe(0x0a);
    // NumPy's own file for a (4,) int64 array has the same 128-byte layout (labels.npy: 128 + 32).
    expect(fixture('labels.npy').length).toBe(128 + 32);
  });
});
