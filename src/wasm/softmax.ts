/**
 * The fast path of crossEntropy with class indices (no class weights, no label smoothing, classes
 * contiguous: input (N, C)) and of sparseCategoricalCrossentropy from logits (classes on the last
 * axis) on float32 data, through `crossEntropyRows` of
 * wasm/assembly/softmax.ts. The kernel returns every row's loss as a float64; this module adds them
 * in the JavaScript kernel's order (plain sums of SUM_BLOCK rows, the block sums with Neumaier
 * compensation) and writes the 'none' output from them, so the value does not depend on chunks or
 * threads and every float32 output is rounded once.
 *
 * Memory: rows are staged through a scratch area of this module (about CHUNK float32 logits and as
 * many gradient entries, plus one float64 row of C per thread), allocated once from the runtime's
 * heap and kept; logits and gradients that live in losskit's memory (wasmTensor) are read and
 * written where they are, and then rows are split over the runtime's threads.
 */
import { CompensatedSum, SUM_BLOCK } from '../core/numerics.js';
import type { FloatArray } from '../core/tensor.js';
import type { Runtime } from './runtime.js';
import { countWasmCall, getRuntime, isF32OrNull, THREAD_MIN, wasmMinSize } from './runtime.js';

/** Logits staged per chunk (float32 elements; at least one row). */
const CHUNK = 16384;

/** Rows per call of the zero-copy path (their targets and losses pass through the scratch area). */
const DIRECT_ROWS = 4096;

interface Area {
  ptr: number;
  bytes: number;
}

const areas = new WeakMap<Runtime, Area>();

/** A scratch area of at least `bytes` bytes in losskit's memory (kept and grown), or -1. */
function area(rt: Runtime, bytes: number): number {
  let a = areas.get(rt);
  if (a !== undefined && a.bytes >= bytes) return a.ptr;
  if (a !== undefined) rt.heap.release(a.ptr, a.bytes);
  const ptr = rt.heap.alloc(bytes);
  if (ptr < 0) {
    areas.delete(rt);
    return -1;
  }
  a = { ptr, bytes };
  areas.set(rt, a);
  return ptr;
}

const align = (n: number): number => Math.ceil(n / 64) * 64;

/**
 * Runs crossEntropy's index-target hot path: `rows` rows of C logits x, targets y (ignoreIndex rows
 * cost 0 and get a zero gradient row), gradient c_k·(softmax − onehot) into g and the losses into
 * out where they are not null, c_k = seed[k]·scale or scale. Returns the sum of the row losses, or
 * undefined (having written nothing) when the fast path does not apply.
 */
export function crossEntropyFast(
  x: FloatArray,
  y: Int32Array,
  C: number,
  ignoreIndex: number,
  out: FloatArray | null,
  g: FloatArray | null,
  seed: FloatArray | null,
  scale: number,
): number | undefined {
  const rows = y.length;
  if (x.length < wasmMinSize() || rows === 0 || C < 1 || x.length !== rows * C) return undefined;
  if (!(x instanceof Float32Array)) return undefined;
  if (!isF32OrNull(g) || !isF32OrNull(seed)) return undefined;
  if (out !== null && !(out instanceof Float32Array) && !(out instanceof Float64Array)) {
    return undefined;
  }
  // The kernel compares int32 targets with an int32 ignore value: any other ignoreIndex never
  // matches a target, as in JavaScript, so any int32 outside the targets' range stands for it.
  const ig = Number.isInteger(ignoreIndex) && Math.abs(ignoreIndex) < 2 ** 31 ? ignoreIndex : -1;
  const rt = getRuntime();
  if (rt === null) return undefined;
  const fn = rt.kernels.get('crossEntropyRows')!;
  countWasmCall();
  const threads = rt.pool === null ? 1 : rt.pool.size + 1;
  const eBytes = align(C * 8);
  const RD = Math.min(rows, DIRECT_ROWS);
  const RS = Math.max(1, Math.floor(CHUNK / C));
  const xBytes = align(RS * C * 4);
  // One area for either path, allocated before any view is read (growing unshared memory detaches
  // views).
  const base = area(
    rt,
    Math.max(
      threads * eBytes + align(RD * 4) + RD * 8,
      2 * xBytes + eBytes + 2 * align(RS * 4) + RS * 8,
    ),
  );
  if (base < 0) return undefined;
  const direct = rt.owns(x) && (g === null || rt.owns(g)) && (seed === null || rt.owns(seed));
  const state = { acc: new CompensatedSum(), s: 0, k: 0 };
  if (direct) {
    const R = RD;
    const pt = base + threads * eBytes;
    const pl = pt + align(R * 4);
    for (let r0 = 0; r0 < rows; r0 += R) {
      const len = Math.min(R, rows - r0);
      new Int32Array(rt.memory.buffer, pt, len).set(y.subarray(r0, r0 + len));
      const px = x.byteOffset + r0 * C * 4;
      const pg = g === null ? 0 : g.byteOffset + r0 * C * 4;
      const ps = seed === null ? 0 : seed.byteOffset + r0 * 4;
      if (threads > 1 && len * C >= THREAD_MIN) {
        splitRows(rt, [px, C, len, pt, ig, pg, ps, scale, base, pl], eBytes);
      } else {
        fn(px, C, len, pt, ig, pg, ps, scale, base, pl);
      }
      addRows(rt, pl, len, out, state);
    }
  } else {
    const R = RS;
    const pgBuf = base + xBytes;
    const pe = pgBuf + xBytes;
    const pt = pe + eBytes;
    const ps = pt + align(R * 4);
    const pl = ps + align(R * 4);
    const dx = rt.owns(x);
    const dG = g !== null && rt.owns(g);
    const dSeed = seed !== null && rt.owns(seed);
    for (let r0 = 0; r0 < rows; r0 += R) {
      const len = Math.min(R, rows - r0);
      const n = len * C;
      const mem = rt.f32();
      let px: number;
      if (dx) px = x.byteOffset + r0 * C * 4;
      else {
        mem.set(x.subarray(r0 * C, r0 * C + n), base >>> 2);
        px = base;
      }
      new Int32Array(rt.memory.buffer, pt, len).set(y.subarray(r0, r0 + len));
      let pSeed = 0;
      if (seed !== null) {
        if (dSeed) pSeed = seed.byteOffset + r0 * 4;
        else {
          mem.set(seed.subarray(r0, r0 + len), ps >>> 2);
          pSeed = ps;
        }
      }
      const pg = g === null ? 0 : dG ? g.byteOffset + r0 * C * 4 : pgBuf;
      fn(px, C, len, pt, ig, pg, pSeed, scale, pe, pl);
      if (g !== null && !dG) g.set(mem.subarray(pg >>> 2, (pg >>> 2) + n), r0 * C);
      addRows(rt, pl, len, out, state);
    }
  }
  if (state.k % SUM_BLOCK !== 0) state.acc.add(state.s);
  return state.acc.value();
}

/**
 * Adds `len` row losses (float64 at ptr) to the running sum: plain sums of SUM_BLOCK rows counted
 * from row 0, each block sum added to acc (the JavaScript kernel's order); writes them into out.
 */
function addRows(
  rt: Runtime,
  ptr: number,
  len: number,
  out: FloatArray | null,
  st: { acc: CompensatedSum; s: number; k: number },
): void {
  const v = rt.f64();
  const b = ptr >>> 3;
  let { s, k } = st;
  for (let r = 0; r < len; r++, k++) {
    const l = v[b + r];
    if (out !== null) out[k] = l;
    s += l;
    if ((k + 1) % SUM_BLOCK === 0) {
      st.acc.add(s);
      s = 0;
    }
  }
  st.s = s;
  st.k = k;
}

/**
 * Splits a zero-copy call into one contiguous range of rows per thread, each with its own float64
 * scratch row (eBytes apart from args[8]); the calling thread takes the last range. Every row's loss
 * lands in its own slot, so the result is bit-identical to one thread.
 */
function splitRows(rt: Runtime, args: number[], eBytes: number): void {
  const pool = rt.pool!;
  const parts = pool.size + 1;
  const [px, C, rows, pt, , pg, ps, , pe, pl] = args;
  const per = Math.ceil(rows / parts);
  const fnIndex = rt.kernelNames.indexOf('crossEntropyRows');
  const part = (w: number): number[] | null => {
    const s = Math.min(rows, w * per);
    const e = Math.min(rows, (w + 1) * per);
    if (e <= s) return null;
    const a = args.slice();
    a[0] = px + s * C * 4;
    a[2] = e - s;
    a[3] = pt + s * 4;
    if (pg !== 0) a[5] = pg + s * C * 4;
    if (ps !== 0) a[6] = ps + s * 4;
    a[8] = pe + w * eBytes;
    a[9] = pl + s * 8;
    return a;
  };
  const posted: number[] = [];
  for (let w = 0; w < pool.size; w++) {
    const a = part(w);
    if (a !== null) {
      pool.post(w, { fn: fnIndex, args: a });
      posted.push(w);
    }
  }
  const mine = part(parts - 1);
  if (mine !== null) rt.kernels.get('crossEntropyRows')!(...mine);
  for (const w of posted) pool.wait(w);
}
