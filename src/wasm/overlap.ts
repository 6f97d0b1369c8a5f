/**
 * The fast path of the overlap losses' two passes (dice, jaccard, tversky, focalTversky,
 * generalizedDice) in binary and multilabel mode on float32 logits or probabilities with float32
 * targets, through `overlapStats` / `overlapGrad` of wasm/assembly/overlap.ts. The data is a run of
 * channels of S pixels each (channel j = image n, class c at offset j·S).
 *
 * Pass 1 hands back the plain sums of every block of SUM_BLOCK pixels (counted from each channel's
 * start, as the JavaScript pass) to a callback that folds them in order, so the statistics do not
 * depend on chunks or threads. Arrays outside losskit's memory are staged through the runtime's
 * scratch area, SCRATCH pixels at a time (a multiple of SUM_BLOCK); a wasmTensor input and
 * gradient are read and written where they are, and then a channel's blocks are split over the
 * runtime's threads.
 */
import type { DataArray, FloatArray } from '../core/tensor.js';
import type { Runtime } from './runtime.js';
import { countWasmCall, getRuntime, SCRATCH, THREAD_MIN, wasmMinSize } from './runtime.js';

/** Receives the block sums of channel `ch` in order: TP, FP, FN, T. */
export type FoldBlock = (ch: number, tp: number, fp: number, fn: number, ts: number) => void;

function usable(x: FloatArray, t: DataArray, S: number, channels: number): Runtime | null {
  if (x.length < wasmMinSize() || S === 0 || x.length !== S * channels) return null;
  if (!(x instanceof Float32Array) || !(t instanceof Float32Array) || t.length !== x.length) {
    return null;
  }
  return getRuntime();
}

/** The ignore value as the kernels take it: [hasIgnore, value]. */
function ignoreArgs(ignore: number | null): [number, number] {
  return ignore === null ? [0, 0] : [1, ignore];
}

/**
 * Pass 1 over `channels` channels of S pixels: calls fold once per block of SUM_BLOCK pixels of
 * each channel, in order. Returns false, having called nothing, when the fast path does not apply.
 */
export function overlapStatsFast(
  x: FloatArray,
  t: DataArray,
  channels: number,
  S: number,
  fromLogits: boolean,
  ignore: number | null,
  fold: FoldBlock,
): boolean {
  const rt = usable(x, t, S, channels);
  if (rt === null) return false;
  const fn = rt.kernels.get('overlapStats')!;
  countWasmCall();
  const [hasIg, ig] = ignoreArgs(ignore);
  const lg = fromLogits ? 1 : 0;
  const nb = Math.ceil(S / 256);
  const direct = rt.owns(x) && rt.owns(t);
  // Four float64 per block: one channel at a time when direct, one chunk at a time staged.
  const bs = rt.blockSums(4 * (direct ? nb : SCRATCH / 256));
  if (bs < 0) return false;
  const emit = (ch: number, count: number): void => {
    const v = rt.f64();
    const b = bs >>> 3;
    for (let k = 0; k < count; k++) {
      const o = b + 4 * k;
      fold(ch, v[o], v[o + 1], v[o + 2], v[o + 3]);
    }
  };
  if (direct) {
    for (let ch = 0; ch < channels; ch++) {
      const px = x.byteOffset + ch * S * 4;
      const pt = t.byteOffset + ch * S * 4;
      const args = [px, pt, S, lg, hasIg, ig, bs];
      if (rt.pool !== null && S >= THREAD_MIN) {
        splitBlocks(rt, 'overlapStats', args, S, (a, s) => {
          a[0] += s * 4;
          a[1] += s * 4;
          a[6] += (s / 256) * 32;
        });
      } else fn(...args);
      emit(ch, nb);
    }
    return true;
  }
  const s0 = rt.scratch;
  const slot = SCRATCH * 4;
  for (let ch = 0; ch < channels; ch++) {
    for (let off = 0; off < S; off += SCRATCH) {
      const len = Math.min(SCRATCH, S - off);
      const a = ch * S + off;
      const mem = rt.f32();
      mem.set(x.subarray(a, a + len), s0 >>> 2);
      mem.set(t.subarray(a, a + len), (s0 + slot) >>> 2);
      fn(s0, s0 + slot, len, lg, hasIg, ig, bs);
      emit(ch, Math.ceil(len / 256));
    }
  }
  return true;
}

/**
 * Pass 2: writes the gradient (a_j + t·b_j)·σ'(x) (or a_j + t·b_j for probabilities; 0 at ignored
 * pixels) of every pixel of channel j into gx, with a_j, b_j from coef(j). Returns false, having
 * written nothing, when the fast path does not apply.
 */
export function overlapGradFast(
  x: FloatArray,
  t: DataArray,
  channels: number,
  S: number,
  fromLogits: boolean,
  ignore: number | null,
  coef: (ch: number) => [number, number],
  gx: FloatArray,
): boolean {
  const rt = usable(x, t, S, channels);
  if (rt === null || !(gx instanceof Float32Array) || gx.length !== x.length) return false;
  const fn = rt.kernels.get('overlapGrad')!;
  countWasmCall();
  const [hasIg, ig] = ignoreArgs(ignore);
  const lg = fromLogits ? 1 : 0;
  if (rt.owns(x) && rt.owns(t) && rt.owns(gx)) {
    for (let ch = 0; ch < channels; ch++) {
      const [a, b] = coef(ch);
      const o = ch * S * 4;
      const args = [x.byteOffset + o, t.byteOffset + o, S, lg, hasIg, ig, a, b, gx.byteOffset + o];
      if (rt.pool !== null && S >= THREAD_MIN) {
        splitBlocks(rt, 'overlapGrad', args, S, (q, s) => {
          q[0] += s * 4;
          q[1] += s * 4;
          q[8] += s * 4;
        });
      } else fn(...args);
    }
    return true;
  }
  const s0 = rt.scratch;
  const slot = SCRATCH * 4;
  for (let ch = 0; ch < channels; ch++) {
    const [a, b] = coef(ch);
    for (let off = 0; off < S; off += SCRATCH) {
      const len = Math.min(SCRATCH, S - off);
      const k = ch * S + off;
      const mem = rt.f32();
      mem.set(x.subarray(k, k + len), s0 >>> 2);
      mem.set(t.subarray(k, k + len), (s0 + slot) >>> 2);
      fn(s0, s0 + slot, len, lg, hasIg, ig, a, b, s0 + 2 * slot);
      gx.set(mem.subarray((s0 + 2 * slot) >>> 2, ((s0 + 2 * slot) >>> 2) + len), k);
    }
  }
  return true;
}

/**
 * Splits one call over n pixels into a contiguous range of whole 256-blocks per thread (the calling
 * thread takes the last): `shift(args, start)` moves the pointers to the range's start.
 */
function splitBlocks(
  rt: Runtime,
  name: string,
  args: number[],
  n: number,
  shift: (a: number[], start: number) => void,
): void {
  const pool = rt.pool!;
  const parts = pool.size + 1;
  const per = Math.ceil(Math.ceil(n / 256) / parts) * 256;
  const fnIndex = rt.kernelNames.indexOf(name);
  const part = (w: number): number[] | null => {
    const s = Math.min(n, w * per);
    const e = Math.min(n, (w + 1) * per);
    if (e <= s) return null;
    const a = args.slice();
    shift(a, s);
    a[2] = e - s;
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
  if (mine !== null) rt.kernels.get(name)!(...mine);
  for (const w of posted) pool.wait(w);
}
