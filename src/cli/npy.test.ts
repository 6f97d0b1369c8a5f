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

describe('rejecting .npy files it cannot read exactly', () => {
  it('rejects Fortran order with advice to save a C-contiguous copy', () => {
    rejects(fixture('fortran.npy'), 'Fortran-order .npy arrays are not supported');
  });

  it('rejects big-endian and complex dtypes, naming the dtype', () => {
    rejects(fixture('bigendian.npy'), "unsupported .npy dtype '>f8' (big-endian");
    rejects(fixture('complex.npy'), "unsupported .npy dtype '<c16'");
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
