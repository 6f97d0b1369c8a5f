/**
 * The fast paths of the box kernels: float32 data through the WebAssembly kernels of
 * wasm/assembly/boxes.ts.
 * - `boxIouFast`: the forward pairwise IoU, GIoU and DIoU matrices (boxIou, generalizedBoxIou,
 *   distanceBoxIou); their float64 entries are the JavaScript kernel's bit for bit, so the float32
 *   matrices are identical.
 * - `ciouFast`: the row-paired CIoU loss with its gradient (ciou), vatan in place of Math.atan.
 * Each returns undefined, having written nothing, where it does not apply (float64 or mixed dtypes,
 * small inputs, no WebAssembly, memory exhausted); the JavaScript kernel then runs.
 *
 * Memory: arrays outside losskit's memory are staged through the scratch area (constant size);
 * boxIou also holds the second set as float64 x1, y1, x2, y2, area (40 bytes a box, released on
 * return). Arrays that all live in losskit's memory (wasmTensor) are read and written where they
 * are, and large calls are split over the threads of setWasmThreads (rows of the matrix, or whole
 * blocks of 256 pairs): every output element and every block sum is computed by the same code
 * whatever the split, so results are bit-identical.
 */
import type { BoxFormat } from '../core/layout.js';
import { BOX_FORMATS } from '../core/layout.js';
import { CompensatedSum } from '../core/numerics.js';
import type { FloatArray } from '../core/tensor.js';
import type { Runtime } from './runtime.js';
import {
  countWasmCall,
  getRuntime,
  isF32OrNull,
  ptrOf,
  SCRATCH,
  THREAD_MIN,
  wasmMinSize,
} from './runtime.js';

/**
 * Runs `name` over `count` units split into contiguous ranges of whole `unit`-multiples, one per
 * thread (the calling thread takes the last); `args(s, e)` gives the call for units s .. e − 1.
 */
function split(
  rt: Runtime,
  name: string,
  count: number,
  unit: number,
  args: (s: number, e: number) => number[],
): void {
  const pool = rt.pool;
  const fn = rt.kernels.get(name)!;
  if (pool === null) {
    fn(...args(0, count));
    return;
  }
  const parts = pool.size + 1;
  const per = Math.ceil(Math.ceil(count / unit) / parts) * unit;
  const range = (t: number): [number, number] => [
    Math.min(count, t * per),
    Math.min(count, (t + 1) * per),
  ];
  const fnIndex = rt.kernelNames.indexOf(name);
  for (let w = 0; w < pool.size; w++) {
    const [s, e] = range(w);
    if (e > s) pool.post(w, { fn: fnIndex, args: args(s, e) });
  }
  const [s, e] = range(parts - 1);
  if (e > s) fn(...args(s, e));
  for (let w = 0; w < pool.size; w++) {
    const [ws, we] = range(w);
    if (we > ws) pool.wait(w);
  }
}

/** The pairwise matrices with a fast forward path, in the order of boxIouRows' kind codes. */
export const MATRIX_KINDS = ['iou', 'giou', 'diou'] as const;
export type PairwiseMatrixKind = (typeof MATRIX_KINDS)[number];

/** Float32 elements of the scratch area's first four slots (one contiguous region). */
const OUT_SLOTS = 4 * SCRATCH;

/**
 * The pairwise matrix of kind `kind` (torchvision box_iou, generalized_box_iou, or
 * distance_box_iou with eps) of x (n float32 boxes in `format`) against tq (m boxes already as
 * float64 corners x1, y1, x2, y2) into out (n·m float32); returns the sum of the matrix (row sums
 * added in order), or undefined (nothing written).
 */
export function boxIouFast(
  kind: PairwiseMatrixKind,
  eps: number,
  x: FloatArray,
  tq: Float64Array,
  n: number,
  m: number,
  format: BoxFormat,
  out: FloatArray | null,
): number | undefined {
  if (n * m < wasmMinSize() || n === 0 || m === 0) return undefined;
  if (!(x instanceof Float32Array) || !(out instanceof Float32Array)) return undefined;
  const rt = getRuntime();
  if (rt === null) return undefined;
  const fmt = BOX_FORMATS.indexOf(format);
  const k = MATRIX_KINDS.indexOf(kind);
  countWasmCall();
  const dOut = rt.owns(out);
  const soa = rt.heap.alloc(40 * m);
  // A row longer than the scratch's output region gets its own buffer (m float32).
  const rowBuf = m > OUT_SLOTS && !dOut ? rt.heap.alloc(4 * m) : 0;
  try {
    if (soa < 0 || rowBuf < 0) return undefined;
    // The second set as x1, y1, x2, y2, area arrays (the area as pairwiseAt's BoxGeo computes it).
    const f = rt.f64();
    const b = soa >>> 3;
    for (let j = 0; j < m; j++) {
      const x1 = tq[4 * j];
      const y1 = tq[4 * j + 1];
      const x2 = tq[4 * j + 2];
      const y2 = tq[4 * j + 3];
      f[b + j] = x1;
      f[b + m + j] = y1;
      f[b + 2 * m + j] = x2;
      f[b + 3 * m + j] = y2;
      f[b + 4 * m + j] = (x2 - x1) * (y2 - y1);
    }
    const kernel = rt.kernels.get('boxIouRows')!;
    const acc = new CompensatedSum();
    if (rt.owns(x) && dOut) {
      const rs = rt.blockSums(n);
      if (rs < 0) return undefined;
      const rowsArgs = (s: number, e: number): number[] => [
        x.byteOffset + 16 * s,
        e - s,
        fmt,
        soa,
        m,
        out.byteOffset + 4 * s * m,
        rs + 8 * s,
        k,
        eps,
      ];
      if (rt.pool !== null && n * m >= THREAD_MIN) split(rt, 'boxIouRows', n, 1, rowsArgs);
      else kernel(...rowsArgs(0, n));
      rt.addBlocks(acc, rs, n);
      return acc.value();
    }
    // Staged: R rows at a time, x rows in slot 4, the output rows in slots 0..3 (or rowBuf, or
    // out itself when it lives in losskit's memory).
    const rows = dOut ? SCRATCH / 4 : Math.max(1, Math.min(SCRATCH / 4, Math.floor(OUT_SLOTS / m)));
    const rs = rt.blockSums(rows);
    if (rs < 0) return undefined;
    const xSlot = rt.scratch + 4 * OUT_SLOTS;
    const buf = rowBuf !== 0 ? rowBuf : rt.scratch;
    const dx = rt.owns(x);
    for (let i = 0; i < n; i += rows) {
      const r = Math.min(rows, n - i);
      const mem = rt.f32();
      let px = x.byteOffset + 16 * i;
      if (!dx) {
        mem.set(x.subarray(4 * i, 4 * (i + r)), xSlot >>> 2);
        px = xSlot;
      }
      const po = dOut ? out.byteOffset + 4 * i * m : buf;
      kernel(px, r, fmt, soa, m, po, rs, k, eps);
      if (!dOut) out.set(mem.subarray(po >>> 2, (po >>> 2) + r * m), i * m);
      rt.addBlocks(acc, rs, r);
    }
    return acc.value();
  } finally {
    if (rowBuf > 0) rt.heap.release(rowBuf, 4 * m);
    if (soa >= 0) rt.heap.release(soa, 40 * m);
  }
}

/**
 * The CIoU loss of n row-paired boxes (x, t: n·4 float32) in `format`: losses into out (n), the
 * gradient of Σ c_i·loss_i (c_i = scale or seed[i]·scale) into g (n·4); returns the sum of the
 * losses (block sums of 256 added in order), or undefined (nothing written).
 */
export function ciouFast(
  x: FloatArray,
  t: FloatArray,
  n: number,
  format: BoxFormat,
  eps: number,
  out: FloatArray | null,
  g: FloatArray | null,
  seed: FloatArray | null,
  scale: number,
): number | undefined {
  if (n < wasmMinSize() || n === 0) return undefined;
  if (!(x instanceof Float32Array) || !(t instanceof Float32Array)) return undefined;
  if (!isF32OrNull(out) || !isF32OrNull(g) || !isF32OrNull(seed)) return undefined;
  const rt = getRuntime();
  if (rt === null) return undefined;
  const fmt = BOX_FORMATS.indexOf(format);
  const fn = rt.kernels.get('ciou')!;
  countWasmCall();
  const acc = new CompensatedSum();
  const direct = rt.ownsAll(x, t, out, g, seed);
  if (direct) {
    const nb = Math.ceil(n / 256);
    const bs = rt.blockSums(nb);
    if (bs >= 0) {
      const args = (s: number, e: number): number[] => [
        x.byteOffset + 16 * s,
        t.byteOffset + 16 * s,
        e - s,
        g === null ? 0 : g.byteOffset + 16 * s,
        out === null ? 0 : out.byteOffset + 4 * s,
        seed === null ? 0 : seed.byteOffset + 4 * s,
        scale,
        bs + (s / 256) * 8,
        fmt,
        eps,
      ];
      if (rt.pool !== null && n >= THREAD_MIN / 4) split(rt, 'ciou', n, 256, args);
      else fn(...args(0, n));
      rt.addBlocks(acc, bs, nb);
      return acc.value();
    }
  }
  // Staged: SCRATCH/4 pairs at a time; slots 0 x, 1 t, 2 seed, 3 g, 4 out, then the block sums.
  const chunk = SCRATCH / 4;
  const slot = SCRATCH * 4;
  const s0 = rt.scratch;
  const bs = s0 + 5 * slot;
  const own = (a: FloatArray | null): boolean => a !== null && rt.owns(a);
  const [dx, dt, dSeed, dG, dOut] = [own(x), own(t), own(seed), own(g), own(out)];
  for (let off = 0; off < n; off += chunk) {
    const len = Math.min(chunk, n - off);
    const mem = rt.f32();
    const stage = (a: Float32Array, direct: boolean, k: number, per: number): number => {
      if (direct) return a.byteOffset + per * 4 * off;
      mem.set(a.subarray(per * off, per * (off + len)), (s0 + k * slot) >>> 2);
      return s0 + k * slot;
    };
    const px = stage(x, dx, 0, 4);
    const pt = stage(t, dt, 1, 4);
    const ps = seed === null ? 0 : stage(seed as Float32Array, dSeed, 2, 1);
    const pg = g === null ? 0 : dG ? ptrOf(g) + 16 * off : s0 + 3 * slot;
    const po = out === null ? 0 : dOut ? ptrOf(out) + 4 * off : s0 + 4 * slot;
    fn(px, pt, len, pg, po, ps, scale, bs, fmt, eps);
    if (g !== null && !dG) g.set(mem.subarray(pg >>> 2, (pg >>> 2) + 4 * len), 4 * off);
    if (out !== null && !dOut) out.set(mem.subarray(po >>> 2, (po >>> 2) + len), off);
    rt.addBlocks(acc, bs, Math.ceil(len / 256));
  }
  return acc.value();
}
