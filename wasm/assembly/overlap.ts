// The overlap losses (dice, jaccard, tversky, focalTversky, generalizedDice) in binary and
// multilabel mode on float32 data: the two passes of src/losses/segmentation/common.ts
// (accumulateStats, writeOverlapGrad) over one channel of n pixels, as src/wasm/overlap.ts calls
// them.
//
// A pixel with target value t is ignored when hasIg ≠ 0 and t == ig (then p = t = 0 in the sums and
// its gradient is 0, even for a NaN logit). p = σ(x) from e = exp(−|x|), r = 1/(1 + e):
// σ(x) = r for x ≥ 0, e·r otherwise (as `sig`), or p = x when logits = 0.

import { vexpNonPos } from './vmath';

// @ts-ignore: decorator
@inline function lo(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

// @ts-ignore: decorator
@inline function hi(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

// @ts-ignore: decorator
@inline function pack(a: v128, b: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
}

/** Lanes where the pixel counts: all ones without an ignore value, else t ≠ ig. */
// @ts-ignore: decorator
@inline function validMask(t: v128, hasIg: bool, ig: v128): v128 {
  return hasIg ? f64x2.ne(t, ig) : i64x2.splat(-1);
}

// @ts-ignore: decorator
@inline function prob(x: v128, logits: bool): v128 {
  if (!logits) return x;
  const one = f64x2.splat(1.0);
  const e = vexpNonPos(f64x2.neg(f64x2.abs(x)));
  const r = f64x2.div(one, f64x2.add(one, e));
  return v128.bitselect(r, f64x2.mul(e, r), f64x2.ge(x, f64x2.splat(0.0)));
}

/**
 * Pass 1 over n pixels (x, t float32): for each block of 256 pixels from the start, the plain sums
 * TP = Σ p·t, FP = Σ p·(1 − t), FN = Σ (1 − p)·t, T = Σ t (two f64x2 lanes, then the tail),
 * stored as four float64 at bs + 32·(block index). The caller folds them in order (Neumaier).
 */
export function overlapStats(
  x: usize,
  t: usize,
  n: i32,
  logits: i32,
  hasIg: i32,
  ig: f64,
  bs: usize,
): void {
  const lg = logits != 0;
  const hi_ = hasIg != 0;
  const igv = f64x2.splat(ig);
  const one = f64x2.splat(1.0);
  const zero = f64x2.splat(0.0);
  for (let b: i32 = 0; b < n; b += 256) {
    const end = min(n, b + 256);
    let tp = zero;
    let fp = zero;
    let fn = zero;
    let ts = zero;
    let i = b;
    for (; i + 2 <= end; i += 2) {
      const o = <usize>i << 2;
      const xv = f64x2.promote_low_f32x4(v128.load64_zero(x + o));
      const tv = f64x2.promote_low_f32x4(v128.load64_zero(t + o));
      const valid = validMask(tv, hi_, igv);
      const p = v128.and(prob(xv, lg), valid);
      const tt = v128.and(tv, valid);
      tp = f64x2.add(tp, f64x2.mul(p, tt));
      fp = f64x2.add(fp, f64x2.mul(p, f64x2.sub(one, tt)));
      fn = f64x2.add(fn, f64x2.mul(f64x2.sub(one, p), tt));
      ts = f64x2.add(ts, tt);
    }
    let tpS = f64x2.extract_lane(tp, 0) + f64x2.extract_lane(tp, 1);
    let fpS = f64x2.extract_lane(fp, 0) + f64x2.extract_lane(fp, 1);
    let fnS = f64x2.extract_lane(fn, 0) + f64x2.extract_lane(fn, 1);
    let tsS = f64x2.extract_lane(ts, 0) + f64x2.extract_lane(ts, 1);
    for (; i < end; i++) {
      const o = <usize>i << 2;
      const xv = f64x2.splat(<f64>load<f32>(x + o));
      const tv = f64x2.splat(<f64>load<f32>(t + o));
      const valid = validMask(tv, hi_, igv);
      const p = f64x2.extract_lane(v128.and(prob(xv, lg), valid), 0);
      const tt = f64x2.extract_lane(v128.and(tv, valid), 0);
      tpS += p * tt;
      fpS += p * (1.0 - tt);
      fnS += (1.0 - p) * tt;
      tsS += tt;
    }
    const o = bs + (<usize>(b >> 8) << 5);
    store<f64>(o, tpS);
    store<f64>(o + 8, fpS);
    store<f64>(o + 16, fnS);
    store<f64>(o + 24, tsS);
  }
}

/**
 * Pass 2 over n pixels: g = (a + t·b)·σ(x)·σ(−x) (σ(x)σ(−x) = e·r², logits ≠ 0) or a + t·b
 * (probabilities), 0 at ignored pixels, rounded to float32.
 */
export function overlapGrad(
  x: usize,
  t: usize,
  n: i32,
  logits: i32,
  hasIg: i32,
  ig: f64,
  a: f64,
  b: f64,
  g: usize,
): void {
  const lg = logits != 0;
  const hi_ = hasIg != 0;
  const igv = f64x2.splat(ig);
  const av = f64x2.splat(a);
  const bv = f64x2.splat(b);
  const one = f64x2.splat(1.0);
  let i: i32 = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const xv = v128.load(x + o);
    const tv = v128.load(t + o);
    const x0 = lo(xv);
    const x1 = hi(xv);
    const t0 = lo(tv);
    const t1 = hi(tv);
    let g0 = f64x2.add(av, f64x2.mul(t0, bv));
    let g1 = f64x2.add(av, f64x2.mul(t1, bv));
    if (lg) {
      const e0 = vexpNonPos(f64x2.neg(f64x2.abs(x0)));
      const e1 = vexpNonPos(f64x2.neg(f64x2.abs(x1)));
      const r0 = f64x2.div(one, f64x2.add(one, e0));
      const r1 = f64x2.div(one, f64x2.add(one, e1));
      g0 = f64x2.mul(g0, f64x2.mul(f64x2.mul(e0, r0), r0));
      g1 = f64x2.mul(g1, f64x2.mul(f64x2.mul(e1, r1), r1));
    }
    g0 = v128.and(g0, validMask(t0, hi_, igv));
    g1 = v128.and(g1, validMask(t1, hi_, igv));
    v128.store(g + o, pack(g0, g1));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const xv = <f64>load<f32>(x + o);
    const tv = <f64>load<f32>(t + o);
    let gv = a + tv * b;
    if (lg) {
      const e = f64x2.extract_lane(vexpNonPos(f64x2.splat(-Math.abs(xv))), 0);
      const r = 1.0 / (1.0 + e);
      gv = gv * (e * r * r);
    }
    store<f32>(g + o, hi_ && tv == ig ? <f32>0.0 : <f32>gv);
  }
}
