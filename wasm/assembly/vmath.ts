// Vector math on two float64 lanes (f64x2): exp, log, log1p of exp(-|x|), sigmoid pieces.
//
// Every function here computes in float64 with a relative error below 1e-14 on its documented
// domain (the polynomials are truncated Taylor / atanh series; the truncation bounds are written
// beside each). The float32 fast paths store results rounded to float32 (relative error 6e-8), so
// these errors are invisible in float32 outputs and far below the 1e-6 the fast paths promise for
// float64 sums. Special values follow IEEE: exp(-inf) = 0, exp(+inf) = inf, exp(NaN) = NaN,
// log(0) = -inf, log(x < 0) = NaN, log(inf) = inf.

// @ts-ignore: decorator
@inline export const LN2: f64 = 0.6931471805599453;
// ln 2 split so that n·LN2_HI is exact for |n| < 2^20 (LN2_HI has 32 significant bits).
// @ts-ignore: decorator
@inline const LN2_HI: f64 = 0.6931471803691238;
// @ts-ignore: decorator
@inline const LN2_LO: f64 = 1.9082149292705877e-10;
// @ts-ignore: decorator
@inline const LOG2E: f64 = 1.4426950408889634;
// @ts-ignore: decorator
@inline const SQRT2: f64 = 1.4142135623730951;

/** 2^n for integer-valued n in [-1022, 1023], lanes of a f64x2 (exact). */
// @ts-ignore: decorator
@inline function pow2i(n: v128): v128 {
  const k = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(n));
  return i64x2.shl(i64x2.add(k, i64x2.splat(1023)), 52);
}

/**
 * e^x on each lane. x = n·ln2 + r with n = round(x/ln2), |r| ≤ ln2/2 (Cody–Waite, two-part ln2);
 * e^r by its Taylor polynomial to degree 11 (truncation r^12/12! ≤ 0.347^12/4.8e8 < 6.5e-15,
 * relative error < 1e-14 since e^r ≥ 0.7), evaluated by Horner; then 2^n by building the exponent.
 * Results below 2^-1022 (x < −708.39) are flushed to 0 (the subnormal range is not produced; the
 * absolute error is below 2.3e-308), x ≥ 709.79 overflows to +inf, NaN propagates (pmin/pmax keep
 * their first operand when a comparison is false).
 */
// @ts-ignore: decorator
@inline export function vexp(x0: v128): v128 {
  const x = f64x2.pmin(f64x2.pmax(x0, f64x2.splat(-708.5)), f64x2.splat(709.9));
  const n = f64x2.nearest(f64x2.mul(x, f64x2.splat(LOG2E)));
  const r = f64x2.sub(
    f64x2.sub(x, f64x2.mul(n, f64x2.splat(LN2_HI))),
    f64x2.mul(n, f64x2.splat(LN2_LO)),
  );
  let p = f64x2.splat(1.0 / 39916800.0); // 1/11!
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  // n in [-1022, 1024]: 2^1024 has the all-ones exponent of +inf, so p·2^n overflows correctly
  // only through n ≤ 1023; x ≥ 709.79 gives n = 1024, whose bit pattern is +inf: p·inf = inf.
  const res = f64x2.mul(p, pow2i(n));
  return v128.andnot(res, f64x2.lt(x0, f64x2.splat(-708.39)));
}

/**
 * ln x on each lane, for x > 0 (subnormals are rescaled first). x = 2^k·m with
 * m in [√2/2, √2); ln m = 2·atanh(s), s = (m−1)/(m+1), |s| ≤ 0.1716, by the atanh series to s^17
 * (relative truncation s^18/19·(1/(1−s²)) < 1e-15); ln x = k·ln2 + ln m with two-part ln2.
 * x = 0 gives −inf, x < 0 or NaN gives NaN, +inf gives +inf.
 */
// @ts-ignore: decorator
@inline export function vlog(x: v128): v128 {
  // Subnormals are scaled by 2^54 into the normal range first (and 54 is taken off k).
  const sub = v128.and(
    f64x2.lt(x, f64x2.splat(2.2250738585072014e-308)),
    f64x2.gt(x, f64x2.splat(0.0)),
  );
  const bits = v128.bitselect(f64x2.mul(x, f64x2.splat(18014398509481984.0)), x, sub);
  const kInt = i64x2.sub(i64x2.shr_u(bits, 52), i64x2.splat(1023));
  let k = f64x2.convert_low_i32x4_s(v128.shuffle<i32>(kInt, kInt, 0, 2, 0, 2));
  k = f64x2.sub(k, v128.and(sub, f64x2.splat(54.0)));
  let m = v128.or(
    v128.and(bits, i64x2.splat(0x000fffffffffffff)),
    i64x2.splat(0x3ff0000000000000),
  );
  const big = f64x2.gt(m, f64x2.splat(SQRT2));
  m = v128.bitselect(f64x2.mul(m, f64x2.splat(0.5)), m, big);
  k = f64x2.add(k, v128.and(big, f64x2.splat(1.0)));
  const s = f64x2.div(f64x2.sub(m, f64x2.splat(1.0)), f64x2.add(m, f64x2.splat(1.0)));
  const lnm = atanh2(s);
  let r = f64x2.add(
    f64x2.add(f64x2.mul(k, f64x2.splat(LN2_HI)), lnm),
    f64x2.mul(k, f64x2.splat(LN2_LO)),
  );
  // Special values: 0 → −inf, +inf → +inf, negative or NaN → NaN.
  r = v128.bitselect(f64x2.splat(-Infinity), r, f64x2.eq(x, f64x2.splat(0.0)));
  r = v128.bitselect(x, r, f64x2.eq(x, f64x2.splat(Infinity)));
  r = v128.bitselect(f64x2.splat(NaN), r, f64x2.ne(x, x));
  return v128.bitselect(f64x2.splat(NaN), r, f64x2.lt(x, f64x2.splat(0.0)));
}

/** 2·atanh(s) = ln((1 + s)/(1 − s)) for |s| ≤ 0.1716 (the series of vlog). */
// @ts-ignore: decorator
@inline function atanh2(s: v128): v128 {
  const z = f64x2.mul(s, s);
  let p = f64x2.splat(1.0 / 17.0);
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(1.0 / 15.0));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(1.0 / 13.0));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(1.0 / 11.0));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(1.0 / 9.0));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(1.0 / 7.0));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(1.0 / 5.0));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(1.0 / 3.0));
  const twoS = f64x2.add(s, s);
  return f64x2.add(twoS, f64x2.mul(twoS, f64x2.mul(z, p)));
}

/**
 * ln(1 + e) for e in [0, 1] (NaN propagates): u = 1 + e rounded lies in [1, 2], so u = 2^k·m with
 * k = 0 or 1 and m in [√2/2, √2) is a compare and a select; ln u = k·ln2 + 2·atanh((m−1)/(m+1)), and
 * (e − (u − 1))/u corrects the rounding of u (the second-order term is below 2^-106). e < 2^-53
 * gives e itself.
 */
// @ts-ignore: decorator
@inline export function vlog1p01(e: v128): v128 {
  const u = f64x2.add(f64x2.splat(1.0), e);
  const big = f64x2.gt(u, f64x2.splat(SQRT2));
  const m = v128.bitselect(f64x2.mul(u, f64x2.splat(0.5)), u, big);
  const k = v128.and(big, f64x2.splat(1.0));
  const s = f64x2.div(f64x2.sub(m, f64x2.splat(1.0)), f64x2.add(m, f64x2.splat(1.0)));
  const c = f64x2.div(f64x2.sub(e, f64x2.sub(u, f64x2.splat(1.0))), u);
  return f64x2.add(
    f64x2.add(f64x2.mul(k, f64x2.splat(LN2_HI)), f64x2.add(atanh2(s), c)),
    f64x2.mul(k, f64x2.splat(LN2_LO)),
  );
}

/**
 * e^x − 1 on each lane, accurate near 0: x = n·ln2 + r as in vexp, e^r − 1 = r·P(r) with P the
 * Taylor polynomial of (e^r − 1)/r to degree 12 (the same truncation bound as vexp), then
 * 2^n·(e^r − 1) + (2^n − 1), where 2^n − 1 is exact. For x below −746, 2^n underflows and the result
 * is −1; x is clamped to at most 709 (e^709 − 1 is finite), and +inf gives +inf.
 */
// @ts-ignore: decorator
@inline export function vexpm1(x0: v128): v128 {
  const x = f64x2.pmin(f64x2.pmax(x0, f64x2.splat(-746.0)), f64x2.splat(709.0));
  const n = f64x2.nearest(f64x2.mul(x, f64x2.splat(LOG2E)));
  const r = f64x2.sub(
    f64x2.sub(x, f64x2.mul(n, f64x2.splat(LN2_HI))),
    f64x2.mul(n, f64x2.splat(LN2_LO)),
  );
  let p = f64x2.splat(1.0 / 6227020800.0); // 1/13!
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 479001600.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 39916800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  const em = f64x2.mul(p, r);
  // n ≥ −1075 after the clamp: 2^n is taken as 2^n1·2^n2 (0 when it underflows).
  const n1 = f64x2.floor(f64x2.mul(n, f64x2.splat(0.5)));
  const s = f64x2.mul(pow2i(n1), pow2i(f64x2.sub(n, n1)));
  const res = f64x2.add(f64x2.mul(s, em), f64x2.sub(s, f64x2.splat(1.0)));
  // x = +inf: the clamp made it 709; restore the infinity. NaN propagates through the clamp.
  return v128.bitselect(x0, res, f64x2.eq(x0, f64x2.splat(Infinity)));
}

/**
 * ln(1 + z) for z > −1 (NaN propagates; z = +inf gives +inf): u = 1 + z rounded, then
 * ln u + (z − (u − 1))/u, the correction for the rounding of u (exact to first order).
 */
// @ts-ignore: decorator
@inline export function vlog1p(z: v128): v128 {
  const u = f64x2.add(f64x2.splat(1.0), z);
  const c = f64x2.div(f64x2.sub(z, f64x2.sub(u, f64x2.splat(1.0))), u);
  const r = f64x2.add(vlog(u), c);
  // z = +inf: the correction is inf − inf; ln u is already +inf.
  return v128.bitselect(u, r, f64x2.eq(u, f64x2.splat(Infinity)));
}

/**
 * e^x on each lane for x ≤ 0, −∞ or NaN (shifted logits x − max, and −|x|). Added for the softmax
 * and overlap kernels. vexp's arithmetic (Cody–Waite reduction x = n·ln2 + r, |r| ≤ ln2/2, the same
 * degree-11 Taylor polynomial, so the same truncation bound: relative error < 1e-14; results below
 * 2^-1022 flushed to 0), with the polynomial evaluated by Estrin's scheme instead of Horner's (a
 * dependency chain of 3 squarings and 4 multiply-adds instead of 11 multiply-adds; the rounding
 * errors of either are a few ulps for |r| ≤ 0.35) and without vexp's overflow clamp, which x ≤ 0
 * never needs. NaN propagates (pmax keeps its first operand). Tested through crossEntropy in
 * src/wasm/softmax.test.ts (ln(1 + e^−d), d in [0, 4], against Math.exp's).
 */
// @ts-ignore: decorator
@inline export function vexpNonPos(x0: v128): v128 {
  const x = f64x2.pmax(x0, f64x2.splat(-708.5));
  const n = f64x2.nearest(f64x2.mul(x, f64x2.splat(LOG2E)));
  const r = f64x2.sub(
    f64x2.sub(x, f64x2.mul(n, f64x2.splat(LN2_HI))),
    f64x2.mul(n, f64x2.splat(LN2_LO)),
  );
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  // Pairs c_k + c_(k+1)·r of the Taylor coefficients 1/k!.
  const a0 = f64x2.add(f64x2.splat(1.0), r);
  const a1 = f64x2.add(f64x2.splat(0.5), f64x2.mul(r, f64x2.splat(1.0 / 6.0)));
  const a2 = f64x2.add(f64x2.splat(1.0 / 24.0), f64x2.mul(r, f64x2.splat(1.0 / 120.0)));
  const a3 = f64x2.add(f64x2.splat(1.0 / 720.0), f64x2.mul(r, f64x2.splat(1.0 / 5040.0)));
  const a4 = f64x2.add(f64x2.splat(1.0 / 40320.0), f64x2.mul(r, f64x2.splat(1.0 / 362880.0)));
  const a5 = f64x2.add(
    f64x2.splat(1.0 / 3628800.0),
    f64x2.mul(r, f64x2.splat(1.0 / 39916800.0)),
  );
  const b0 = f64x2.add(a0, f64x2.mul(r2, a1));
  const b1 = f64x2.add(a2, f64x2.mul(r2, a3));
  const b2 = f64x2.add(a4, f64x2.mul(r2, a5));
  const p = f64x2.add(f64x2.add(b0, f64x2.mul(r4, b1)), f64x2.mul(r8, b2));
  const res = f64x2.mul(p, pow2i(n));
  return v128.andnot(res, f64x2.lt(x0, f64x2.splat(-708.39)));
}

// @ts-ignore: decorator
@inline const PIO2_HI: f64 = 1.5707963267948966; // π/2 rounded
// @ts-ignore: decorator
@inline const PIO2_LO: f64 = 6.123233995736766e-17; // π/2 − PIO2_HI
// @ts-ignore: decorator
@inline const PIO4_HI: f64 = 0.7853981633974483; // π/4 rounded
// @ts-ignore: decorator
@inline const PIO4_LO: f64 = 3.061616997868383e-17; // π/4 − PIO4_HI
// @ts-ignore: decorator
@inline const TAN_PI8: f64 = 0.41421356237309503; // tan(π/8) = √2 − 1

/**
 * atan x on each lane (added for the CIoU kernel of boxes.ts). Argument reduction, all on |x|:
 *   z = |x| or 1/|x| (when |x| > 1: atan|x| = π/2 − atan z), z in [0, 1];
 *   w = z, or (z − 1)/(z + 1) when z > tan(π/8) (atan z = π/4 + atan w), |w| ≤ tan(π/8);
 *   u = w/(1 + √(1 + w²)) (atan w = 2·atan u), |u| ≤ tan(π/16) < 0.19892, u² < 0.03957;
 * atan u = u·Σ_{k=0}^{10} (−u²)^k/(2k + 1) (alternating series: relative truncation below
 * u²¹·u/23/u < 0.03957^11/23 < 2e-17), Horner. Rounding: u carries ≈ 3 ulp, each later step ½ ulp,
 * and the added constants (π/4, π/2 in two parts) dominate the sums they enter, so the relative
 * error stays below 1e-15 (test: src/wasm/boxes.test.ts sweeps it against Math.atan, < 1e-14).
 * |w| < 2^-26 skips the halving (atan w = w within w²/3 < 2^-53 relative; keeps subnormals exact).
 * The sign is |x|'s result with x's sign bit: atan(±0) = ±0, atan(±inf) = ±π/2, NaN gives NaN.
 */
// @ts-ignore: decorator
@inline export function vatan(x: v128): v128 {
  const one = f64x2.splat(1.0);
  const ax = f64x2.abs(x);
  const inv = f64x2.gt(ax, one);
  const z = v128.bitselect(f64x2.div(one, ax), ax, inv);
  const mid = f64x2.gt(z, f64x2.splat(TAN_PI8));
  const w = v128.bitselect(f64x2.div(f64x2.sub(z, one), f64x2.add(z, one)), z, mid);
  const u = f64x2.div(w, f64x2.add(one, f64x2.sqrt(f64x2.add(one, f64x2.mul(w, w)))));
  const s = f64x2.mul(u, u);
  let p = f64x2.splat(1.0 / 21.0);
  p = f64x2.sub(f64x2.splat(1.0 / 19.0), f64x2.mul(p, s));
  p = f64x2.sub(f64x2.splat(1.0 / 17.0), f64x2.mul(p, s));
  p = f64x2.sub(f64x2.splat(1.0 / 15.0), f64x2.mul(p, s));
  p = f64x2.sub(f64x2.splat(1.0 / 13.0), f64x2.mul(p, s));
  p = f64x2.sub(f64x2.splat(1.0 / 11.0), f64x2.mul(p, s));
  p = f64x2.sub(f64x2.splat(1.0 / 9.0), f64x2.mul(p, s));
  p = f64x2.sub(f64x2.splat(1.0 / 7.0), f64x2.mul(p, s));
  p = f64x2.sub(f64x2.splat(1.0 / 5.0), f64x2.mul(p, s));
  p = f64x2.sub(f64x2.splat(1.0 / 3.0), f64x2.mul(p, s));
  // atan w = 2u − 2u·s·p (p now Σ_{k≥1} (−s)^(k−1)/(2k+1)), the small correction added last.
  const u2 = f64x2.add(u, u);
  let aw = f64x2.sub(u2, f64x2.mul(u2, f64x2.mul(s, p)));
  aw = v128.bitselect(w, aw, f64x2.lt(f64x2.abs(w), f64x2.splat(1.4901161193847656e-8)));
  // z > tan(π/8): π/4 + atan w, with π/4's low part added after.
  const az = v128.bitselect(
    f64x2.add(f64x2.add(f64x2.splat(PIO4_HI), aw), f64x2.splat(PIO4_LO)),
    aw,
    mid,
  );
  // |x| > 1: π/2 − atan z.
  const r = v128.bitselect(
    f64x2.add(f64x2.sub(f64x2.splat(PIO2_HI), az), f64x2.splat(PIO2_LO)),
    az,
    inv,
  );
  return v128.or(r, v128.and(x, i64x2.splat(0x8000000000000000)));
}
