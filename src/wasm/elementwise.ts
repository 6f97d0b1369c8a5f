/**
 * The fast path of the elementwise (input, target) kernels: float32 data through the WebAssembly
 * kernels of wasm/assembly/elementwise.ts. A JavaScript kernel calls `pairFast` first and runs its
 * own loop when it returns undefined (float64 data, mixed dtypes, small inputs, no WebAssembly).
 */
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

/** The elementwise kernels of the module, by export name. */
export type PairKernel =
  | 'mse'
  | 'l1'
  | 'huber'
  | 'smoothL1'
  | 'bceWithLogits'
  | 'sigmoidFocal'
  | 'logCosh'
  | 'bce'
  | 'mape'
  | 'msle'
  | 'poissonNllLog'
  | 'poissonNll'
  | 'softMargin'
  | 'hinge'
  | 'squaredHinge'
  | 'klDiv'
  | 'klDivLog'
  | 'triad';

/**
 * Runs kernel `name` over x and y (same length) when every array is float32 and the fast paths are
 * on: writes the gradient (times seed·scale or scale) into g and the losses into out where they are
 * not null, and returns the sum of the losses. Returns undefined, having written nothing, when the
 * fast path does not apply.
 */
export function pairFast(
  name: PairKernel,
  x: FloatArray,
  y: FloatArray,
  out: FloatArray | null,
  g: FloatArray | null,
  seed: FloatArray | null,
  scale: number,
  p0 = 0,
  p1 = 0,
  p2 = 0,
  p3 = 0,
): number | undefined {
  const n = x.length;
  if (n < wasmMinSize() || y.length !== n) return undefined;
  if (!(x instanceof Float32Array) || !(y instanceof Float32Array)) return undefined;
  if (!isF32OrNull(out) || !isF32OrNull(g) || !isF32OrNull(seed)) return undefined;
  const rt = getRuntime();
  if (rt === null) return undefined;
  const fn = rt.kernels.get(name)!;
  countWasmCall();
  const acc = new CompensatedSum();
  const direct = rt.ownsAll(x, y, out, g, seed);
  if (direct) {
    const nb = Math.ceil(n / 256);
    const bs = rt.blockSums(nb);
    if (bs >= 0) {
      const args = [
        ptrOf(x),
        ptrOf(y),
        n,
        ptrOf(g),
        ptrOf(out),
        ptrOf(seed),
        scale,
        bs,
        p0,
        p1,
        p2,
        p3,
      ];
      if (rt.pool !== null && n >= THREAD_MIN) splitOverThreads(rt, name, args, n);
      else fn(...args);
      rt.addBlocks(acc, bs, nb);
      return acc.value();
    }
  }
  staged(rt, fn, x, y, out, g, seed, scale, p0, p1, p2, p3, acc);
  return acc.value();
}

/**
 * Splits a direct call into one contiguous range of whole 256-blocks per thread; the calling thread
 * takes the last range. Every range writes its own block sums, so the total is bit-identical to a
 * single-thread call.
 */
function splitOverThreads(rt: Runtime, name: string, args: number[], n: number): void {
  const pool = rt.pool!;
  const parts = pool.size + 1;
  const blocks = Math.ceil(n / 256);
  const per = Math.ceil(blocks / parts);
  const fnIndex = rt.kernelNames.indexOf(name);
  const ranges: [number, number][] = [];
  for (let t = 0; t < parts; t++) {
    const s = Math.min(n, t * per * 256);
    const e = Math.min(n, (t + 1) * per * 256);
    ranges.push([s, e]);
  }
  const shifted = (s: number, e: number): number[] => {
    const a = args.slice();
    for (const k of [0, 1, 3, 4, 5]) if (a[k] !== 0) a[k] += s * 4;
    a[2] = e - s;
    a[7] += (s / 256) * 8;
    return a;
  };
  for (let w = 0; w < pool.size; w++) {
    const [s, e] = ranges[w];
    if (e > s) pool.post(w, { fn: fnIndex, args: shifted(s, e) });
  }
  const [s, e] = ranges[parts - 1];
  if (e > s) rt.kernels.get(name)!(...shifted(s, e));
  for (let w = 0; w < pool.size; w++) {
    const [ws, we] = ranges[w];
    if (we > ws) pool.wait(w);
  }
}

/** Arrays outside losskit's memory are copied through the scratch area, SCRATCH elements at a time. */
function staged(
  rt: Runtime,
  fn: (...args: number[]) => void,
  x: Float32Array,
  y: Float32Array,
  out: FloatArray | null,
  g: FloatArray | null,
  seed: FloatArray | null,
  scale: number,
  p0: number,
  p1: number,
  p2: number,
  p3: number,
  acc: CompensatedSum,
): void {
  const n = x.length;
  const s0 = rt.scratch;
  const slot = SCRATCH * 4;
  const bs = s0 + 5 * slot;
  const dx = rt.owns(x);
  const dy = rt.owns(y);
  const dOut = out !== null && rt.owns(out);
  const dG = g !== null && rt.owns(g);
  const dSeed = seed !== null && rt.owns(seed);
  for (let off = 0; off < n; off += SCRATCH) {
    const len = Math.min(SCRATCH, n - off);
    const mem = rt.f32();
    let px: number;
    let py: number;
    if (dx) px = x.byteOffset + off * 4;
    else {
      mem.set(x.subarray(off, off + len), s0 >>> 2);
      px = s0;
    }
    if (dy) py = y.byteOffset + off * 4;
    else {
      mem.set(y.subarray(off, off + len), (s0 + slot) >>> 2);
      py = s0 + slot;
    }
    let ps = 0;
    if (seed !== null) {
      if (dSeed) ps = seed.byteOffset + off * 4;
      else {
        mem.set(seed.subarray(off, off + len), (s0 + 2 * slot) >>> 2);
        ps = s0 + 2 * slot;
      }
    }
    const pg = g === null ? 0 : dG ? g.byteOffset + off * 4 : s0 + 3 * slot;
    const po = out === null ? 0 : dOut ? out.byteOffset + off * 4 : s0 + 4 * slot;
    fn(px, py, len, pg, po, ps, scale, bs, p0, p1, p2, p3);
    if (g !== null && !dG) g.set(mem.subarray(pg >>> 2, (pg >>> 2) + len), off);
    if (out !== null && !dOut) out.set(mem.subarray(po >>> 2, (po >>> 2) + len), off);
    rt.addBlocks(acc, bs, Math.ceil(len / 256));
  }
}
