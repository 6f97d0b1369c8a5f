// Elementwise (input, target) losses on float32 data: the fast paths of src/wasm/elementwise.ts.
//
// Every kernel reads n float32 inputs x and y at byte addresses x and y, computes each element's
// loss l and derivative dl/dx in float64 (two f64x2 halves per four elements), and
//   - adds the losses of each block of 256 elements in a fixed order (two f64x2 accumulators, lanes
//     then tail) and stores the block's sum as a float64 at bsums + 8·(block index): the caller adds
//     the block sums with Neumaier compensation, so the total does not depend on how the work was
//     split into calls or threads (calls always start on a multiple of 256);
//   - when g ≠ 0, stores dl/dx · c rounded to float32 at g, with c = scale, or seed[i]·scale when
//     seed ≠ 0;
//   - when out ≠ 0, stores l rounded to float32 at out.
// The arithmetic is the same as the entry's JavaScript `<id>At` function, with the vector exp/log of
// vmath.ts in place of Math.exp/Math.log1p.

import { vexp, vexpm1, vexpNonPos, vlog, vlog1p, vlog1p01 } from './vmath';

export const OP_MSE: i32 = 0;
export const OP_L1: i32 = 1;
export const OP_HUBER: i32 = 2;
export const OP_SMOOTH_L1: i32 = 3;
export const OP_BCE_LOGITS: i32 = 4;
export const OP_FOCAL: i32 = 5;
export const OP_LOG_COSH: i32 = 6;
export const OP_BCE: i32 = 7;
export const OP_MAPE: i32 = 8;
export const OP_MSLE: i32 = 9;
export const OP_POISSON_LOG: i32 = 10;
export const OP_POISSON: i32 = 11;
export const OP_SOFT_MARGIN: i32 = 12;
export const OP_HINGE: i32 = 13;
export const OP_SQUARED_HINGE: i32 = 14;
export const OP_KL_DIV: i32 = 15;
export const OP_KL_DIV_LOG: i32 = 16;

/** The derivative of the last op evaluated (ops return the loss). */
let G: v128 = f64x2.splat(0.0);

// @ts-ignore: decorator
@inline function one(): v128 {
  return f64x2.splat(1.0);
}

// @ts-ignore: decorator
@inline function sel(mask: v128, a: v128, b: v128): v128 {
  return v128.bitselect(a, b, mask);
}

/**
 * a·softplus(−x) + b·softplus(x) from ax = |x| and lg = ln(1 + e^−|x|); for |x| = ∞ a term whose
 * coefficient is 0 costs 0 (not 0·∞), as softplusPairLoss in sigmoid-common.ts.
 */
// @ts-ignore: decorator
@inline function softplusPairLoss(x: v128, ax: v128, lg: v128, a: v128, b: v128): v128 {
  const half = f64x2.splat(0.5);
  const finite = f64x2.add(
    f64x2.mul(a, f64x2.add(f64x2.mul(half, f64x2.sub(ax, x)), lg)),
    f64x2.mul(b, f64x2.add(f64x2.mul(half, f64x2.add(ax, x)), lg)),
  );
  const zero = f64x2.splat(0.0);
  const pos = sel(f64x2.eq(b, zero), zero, f64x2.mul(b, x));
  const neg = sel(f64x2.eq(a, zero), zero, f64x2.neg(f64x2.mul(a, x)));
  const inf = sel(f64x2.gt(x, zero), pos, neg);
  return sel(f64x2.eq(ax, f64x2.splat(Infinity)), inf, finite);
}

/** One op on two lanes: returns l and leaves dl/dx in G. */
// @ts-ignore: decorator
@inline function op(k: i32, x: v128, y: v128, p0: f64, p1: f64, p2: f64, p3: f64): v128 {
  const zero = f64x2.splat(0.0);
  if (k == OP_MSE) {
    const d = f64x2.sub(x, y);
    G = f64x2.add(d, d);
    return f64x2.mul(d, d);
  }
  if (k == OP_L1) {
    const d = f64x2.sub(x, y);
    G = f64x2.sub(v128.and(f64x2.gt(d, zero), one()), v128.and(f64x2.lt(d, zero), one()));
    return f64x2.abs(d);
  }
  if (k == OP_HUBER) {
    // p0 = δ: c = clamp(d, −δ, δ), l = c·(d − c/2), dl/dx = c.
    const d = f64x2.sub(x, y);
    const c = f64x2.pmin(f64x2.pmax(d, f64x2.splat(-p0)), f64x2.splat(p0));
    G = c;
    return f64x2.mul(c, f64x2.sub(d, f64x2.mul(f64x2.splat(0.5), c)));
  }
  if (k == OP_SMOOTH_L1) {
    // p0 = β > 0: c = clamp(d, −β, β), q = c/β, l = (|d| − |c|/2)·|q|, dl/dx = q.
    const d = f64x2.sub(x, y);
    const c = f64x2.pmin(f64x2.pmax(d, f64x2.splat(-p0)), f64x2.splat(p0));
    const q = f64x2.div(c, f64x2.splat(p0));
    G = q;
    return f64x2.mul(
      f64x2.sub(f64x2.abs(d), f64x2.mul(f64x2.splat(0.5), f64x2.abs(c))),
      f64x2.abs(q),
    );
  }
  if (k == OP_BCE_LOGITS) {
    // p0 = pos_weight, p1 = weight, p2 = 1 − smoothing, p3 = smoothing/2 (all scalars):
    // t = y·p2 + p3, a = p0·t, b = 1 − t; l = p1·(a·softplus(−x) + b·softplus(x)),
    // dl/dx = p1·(b·σ(x) − a·σ(−x)).
    const t = f64x2.add(f64x2.mul(y, f64x2.splat(p2)), f64x2.splat(p3));
    const a = f64x2.mul(f64x2.splat(p0), t);
    const b = f64x2.sub(one(), t);
    const ax = f64x2.abs(x);
    const e = vexpNonPos(f64x2.neg(ax));
    const lg = vlog1p01(e);
    const big = f64x2.div(one(), f64x2.add(one(), e));
    const small = f64x2.mul(e, big);
    const h = f64x2.ge(x, zero);
    const w = f64x2.splat(p1);
    G = f64x2.mul(
      w,
      f64x2.sub(f64x2.mul(b, sel(h, big, small)), f64x2.mul(a, sel(h, small, big))),
    );
    return f64x2.mul(w, softplusPairLoss(x, ax, lg, a, b));
  }
  if (k == OP_FOCAL) {
    // p0 = aY, p1 = a0 (α_t = aY·y + a0), p2 = γ: focalAt of sigmoid-common.ts with ε = 0.
    const ax = f64x2.abs(x);
    const e = vexpNonPos(f64x2.neg(ax));
    const big = f64x2.div(one(), f64x2.add(one(), e));
    const small = f64x2.mul(e, big);
    const h = f64x2.ge(x, zero);
    const p = sel(h, big, small);
    const q = sel(h, small, big);
    const u = f64x2.sub(one(), y);
    const m = f64x2.add(f64x2.mul(p, u), f64x2.mul(q, y));
    const ce = softplusPairLoss(x, ax, vlog1p01(e), y, u);
    const pq = f64x2.mul(p, q);
    let mg: v128;
    let mgpq: v128;
    if (p2 == 2.0) {
      mg = f64x2.mul(m, m);
      mgpq = f64x2.mul(m, pq);
    } else if (p2 == 0.0) {
      mg = one();
      mgpq = zero;
    } else {
      // m^γ = e^(γ·ln m) (m = 0 gives 0 for γ > 0, as pow).
      mg = vexp(f64x2.mul(f64x2.splat(p2), vlog(m)));
      mgpq = f64x2.mul(mg, f64x2.div(pq, f64x2.pmax(m, f64x2.splat(5e-324))));
    }
    const s = f64x2.sub(one(), f64x2.add(y, y));
    const at = f64x2.add(f64x2.mul(f64x2.splat(p0), y), f64x2.splat(p1));
    // At γ = 0 the γ term is 0 (torch's pow backward), not 0·CE·… (NaN where CE = ∞).
    const gt =
      p2 == 0.0 ? zero : f64x2.mul(f64x2.mul(f64x2.splat(p2), ce), f64x2.mul(mgpq, s));
    G = f64x2.mul(at, f64x2.add(f64x2.mul(f64x2.sub(f64x2.mul(p, u), f64x2.mul(q, y)), mg), gt));
    return f64x2.mul(f64x2.mul(at, ce), mg);
  }
  if (k == OP_LOG_COSH) {
    // As logCosh in core/numerics.ts: for |d| < 1, ln(1 + z) with z = cosh|d| − 1 written
    // E²/(2(1 + E)), E = e^|d| − 1 (no cancellation); for |d| ≥ 1, |d| + ln(1 + e^−2|d|) − ln 2.
    // dl/dx = tanh d = −sign(d)·F/(2 + F) with F = e^−2|d| − 1.
    const d = f64x2.sub(x, y);
    const ad = f64x2.abs(d);
    const em = vexpm1(ad);
    const z = f64x2.div(f64x2.mul(em, em), f64x2.mul(f64x2.splat(2.0), f64x2.add(one(), em)));
    const f = vexpm1(f64x2.mul(f64x2.splat(-2.0), ad));
    const th = f64x2.neg(f64x2.div(f, f64x2.add(f64x2.splat(2.0), f)));
    G = sel(f64x2.lt(d, zero), f64x2.neg(th), th);
    const large = f64x2.sub(
      f64x2.add(ad, vlog1p01(f64x2.add(f, one()))),
      f64x2.splat(0.6931471805599453),
    );
    return sel(f64x2.lt(ad, one()), vlog1p01(z), large);
  }
  if (k == OP_BCE) {
    // Probabilities (bceAt of bce.ts): t = y·p2 + p3, l = p1·((t − 1)·max(ln(1 − x), −100) −
    // t·max(ln x, −100)) (torch's clamp), dl/dx = p1·(x − t)/max((1 − x)·x, p0) (torch's ε).
    const t = f64x2.add(f64x2.mul(y, f64x2.splat(p2)), f64x2.splat(p3));
    const lx = f64x2.pmax(vlog(x), f64x2.splat(-100.0));
    const omx = f64x2.sub(one(), x);
    const l1x = f64x2.pmax(vlog(omx), f64x2.splat(-100.0));
    const w = f64x2.splat(p1);
    G = f64x2.mul(
      w,
      f64x2.div(f64x2.sub(x, t), f64x2.pmax(f64x2.mul(omx, x), f64x2.splat(p0))),
    );
    return f64x2.mul(
      w,
      f64x2.sub(f64x2.mul(f64x2.sub(t, one()), l1x), f64x2.mul(t, lx)),
    );
  }
  if (k == OP_MAPE) {
    // p0 = Keras ε: l = 100·|(y − x)/max(|y|, ε)|, dl/dx = 100/max(|y|, ε)·sign(x − y).
    const den = f64x2.pmax(f64x2.abs(y), f64x2.splat(p0));
    const d = f64x2.sub(x, y);
    G = f64x2.mul(
      f64x2.div(f64x2.splat(100.0), den),
      f64x2.sub(v128.and(f64x2.gt(d, zero), one()), v128.and(f64x2.lt(d, zero), one())),
    );
    return f64x2.mul(f64x2.splat(100.0), f64x2.abs(f64x2.div(f64x2.sub(y, x), den)));
  }
  if (k == OP_MSLE) {
    // p0 = Keras ε: d = ln(1 + max(x, ε)) − ln(1 + max(y, ε)), l = d², dl/dx = 2d/(1 + max(x, ε))
    // where x ≥ ε, else 0.
    const xm = f64x2.pmax(x, f64x2.splat(p0));
    const d = f64x2.sub(vlog1p(xm), vlog1p(f64x2.pmax(y, f64x2.splat(p0))));
    const q = f64x2.div(f64x2.add(d, d), f64x2.add(one(), xm));
    G = v128.and(q, f64x2.ge(x, f64x2.splat(p0)));
    return f64x2.mul(d, d);
  }
  if (k == OP_POISSON_LOG) {
    // log_input: l = e^x − y·x, dl/dx = e^x − y.
    const ex = vexp(x);
    G = f64x2.sub(ex, y);
    return f64x2.sub(ex, f64x2.mul(y, x));
  }
  if (k == OP_POISSON) {
    // p0 = ε: r = x + ε, l = x − y·ln r, dl/dx = 1 − y/r.
    const r = f64x2.add(x, f64x2.splat(p0));
    G = f64x2.sub(one(), f64x2.div(y, r));
    return f64x2.sub(x, f64x2.mul(y, vlog(r)));
  }
  if (k == OP_SOFT_MARGIN) {
    // z = −y·x: l = softplus(z), dl/dx = −y·σ(z).
    const z = f64x2.neg(f64x2.mul(y, x));
    const az = f64x2.abs(z);
    const e = vexpNonPos(f64x2.neg(az));
    const big = f64x2.div(one(), f64x2.add(one(), e));
    const sig = sel(f64x2.ge(z, zero), big, f64x2.mul(e, big));
    G = f64x2.neg(f64x2.mul(y, sig));
    return softplusPairLoss(z, az, vlog1p01(e), zero, one());
  }
  if (k == OP_HINGE) {
    // p0, p1: t = y·p0 + p1 (Keras' 0/1 → ±1 rule); m = 1 − t·x, l = max(0, m),
    // dl/dx = −t·[m ≥ 0].
    const t = f64x2.add(f64x2.mul(y, f64x2.splat(p0)), f64x2.splat(p1));
    const m = f64x2.sub(one(), f64x2.mul(t, x));
    G = f64x2.neg(f64x2.mul(t, v128.and(f64x2.ge(m, zero), one())));
    return f64x2.pmax(m, zero);
  }
  if (k == OP_SQUARED_HINGE) {
    // t as hinge; h = max(0, 1 − t·x), l = h², dl/dx = −2t·h.
    const t = f64x2.add(f64x2.mul(y, f64x2.splat(p0)), f64x2.splat(p1));
    const h = f64x2.pmax(f64x2.sub(one(), f64x2.mul(t, x)), zero);
    G = f64x2.mul(f64x2.splat(-2.0), f64x2.mul(t, h));
    return f64x2.mul(h, h);
  }
  if (k == OP_KL_DIV) {
    // l = xlogy(t, t) − t·x (0·ln 0 = 0), dl/dx = −t.
    const xl = v128.andnot(f64x2.mul(y, vlog(y)), f64x2.eq(y, zero));
    G = f64x2.neg(y);
    return f64x2.sub(xl, f64x2.mul(y, x));
  }
  if (k == OP_KL_DIV_LOG) {
    // log_target: l = e^t·(t − x), dl/dx = −e^t.
    const e = vexp(y);
    G = f64x2.neg(e);
    return f64x2.mul(e, f64x2.sub(y, x));
  }
  unreachable();
  return zero;
}

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

/** The loop every elementwise kernel shares, specialised by op k (a constant at every call site). */
// @ts-ignore: decorator
@inline function run(
  k: i32,
  x: usize,
  y: usize,
  n: i32,
  g: usize,
  out: usize,
  seed: usize,
  scale: f64,
  bsums: usize,
  p0: f64,
  p1: f64,
  p2: f64,
  p3: f64,
): void {
  const sc = f64x2.splat(scale);
  const train = g != 0 && out == 0 && seed == 0;
  for (let b: i32 = 0; b < n; b += 256) {
    const e = min(n, b + 256);
    let acc0 = f64x2.splat(0.0);
    let acc1 = f64x2.splat(0.0);
    let i = b;
    if (train) {
      for (; i + 4 <= e; i += 4) {
        const o = <usize>i << 2;
        const xv = v128.load(x + o);
        const yv = v128.load(y + o);
        const l0 = op(k, lo(xv), lo(yv), p0, p1, p2, p3);
        const g0 = G;
        const l1 = op(k, hi(xv), hi(yv), p0, p1, p2, p3);
        acc0 = f64x2.add(acc0, l0);
        acc1 = f64x2.add(acc1, l1);
        v128.store(g + o, pack(f64x2.mul(g0, sc), f64x2.mul(G, sc)));
      }
    } else {
      for (; i + 4 <= e; i += 4) {
        const o = <usize>i << 2;
        const xv = v128.load(x + o);
        const yv = v128.load(y + o);
        const l0 = op(k, lo(xv), lo(yv), p0, p1, p2, p3);
        const g0 = G;
        const l1 = op(k, hi(xv), hi(yv), p0, p1, p2, p3);
        const g1 = G;
        acc0 = f64x2.add(acc0, l0);
        acc1 = f64x2.add(acc1, l1);
        if (out != 0) v128.store(out + o, pack(l0, l1));
        if (g != 0) {
          let c0 = sc;
          let c1 = sc;
          if (seed != 0) {
            const sv = v128.load(seed + o);
            c0 = f64x2.mul(lo(sv), sc);
            c1 = f64x2.mul(hi(sv), sc);
          }
          v128.store(g + o, pack(f64x2.mul(g0, c0), f64x2.mul(g1, c1)));
        }
      }
    }
    let tail: f64 = 0;
    for (; i < e; i++) {
      const o = <usize>i << 2;
      const l = op(
        k,
        f64x2.splat(<f64>load<f32>(x + o)),
        f64x2.splat(<f64>load<f32>(y + o)),
        p0,
        p1,
        p2,
        p3,
      );
      const lv = f64x2.extract_lane(l, 0);
      tail += lv;
      if (out != 0) store<f32>(out + o, <f32>lv);
      if (g != 0) {
        const c = seed != 0 ? <f64>load<f32>(seed + o) * scale : scale;
        store<f32>(g + o, <f32>(f64x2.extract_lane(G, 0) * c));
      }
    }
    const s =
      f64x2.extract_lane(acc0, 0) +
      f64x2.extract_lane(acc0, 1) +
      (f64x2.extract_lane(acc1, 0) + f64x2.extract_lane(acc1, 1)) +
      tail;
    store<f64>(bsums + ((<usize>(b >> 8)) << 3), s);
  }
}

export function mse(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  run(OP_MSE, x, y, n, g, out, seed, scale, bsums, p0, p1, p2, p3);
}
export function l1(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  run(OP_L1, x, y, n, g, out, seed, scale, bsums, p0, p1, p2, p3);
}
export function huber(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  run(OP_HUBER, x, y, n, g, out, seed, scale, bsums, p0, p1, p2, p3);
}
export function smoothL1(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  run(OP_SMOOTH_L1, x, y, n, g, out, seed, scale, bsums, p0, p1, p2, p3);
}
export function bceWithLogits(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  run(OP_BCE_LOGITS, x, y, n, g, out, seed, scale, bsums, p0, p1, p2, p3);
}
export function sigmoidFocal(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  run(OP_FOCAL, x, y, n, g, out, seed, scale, bsums, p0, p1, p2, p3);
}
export function logCosh(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  run(OP_LOG_COSH, x, y, n, g, out, seed, scale, bsums, p0, p1, p2, p3);
}
export function bce(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  run(OP_BCE, x, y, n, g, out, seed, scale, bsums, p0, p1, p2, p3);
}
export function mape(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  run(OP_MAPE, x, y, n, g, out, seed, scale, bsums, p0, p1, p2, p3);
}
export function msle(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  run(OP_MSLE, x, y, n, g, out, seed, scale, bsums, p0, p1, p2, p3);
}
export function poissonNllLog(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  run(OP_POISSON_LOG, x, y, n, g, out, seed, scale, bsums, p0, p1, p2, p3);
}
export function poissonNll(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  run(OP_POISSON, x, y, n, g, out, seed, scale, bsums, p0, p1, p2, p3);
}
export function softMargin(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  run(OP_SOFT_MARGIN, x, y, n, g, out, seed, scale, bsums, p0, p1, p2, p3);
}
export function hinge(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  run(OP_HINGE, x, y, n, g, out, seed, scale, bsums, p0, p1, p2, p3);
}
export function squaredHinge(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  run(OP_SQUARED_HINGE, x, y, n, g, out, seed, scale, bsums, p0, p1, p2, p3);
}
export function klDiv(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  run(OP_KL_DIV, x, y, n, g, out, seed, scale, bsums, p0, p1, p2, p3);
}
export function klDivLog(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  run(OP_KL_DIV_LOG, x, y, n, g, out, seed, scale, bsums, p0, p1, p2, p3);
}

/**
 * The benchmark's memory-bandwidth reference (not a loss): g = x + scale·y on float32 lanes, the
 * bytes of an elementwise loss and its gradient (read x and y, write g) with no arithmetic to speak
 * of. Same signature as the loss kernels, so it runs on the same staged, zero-copy and threaded
 * paths; its block sums are 0.
 */
export function triad(x: usize, y: usize, n: i32, g: usize, out: usize, seed: usize, scale: f64, bsums: usize, p0: f64, p1: f64, p2: f64, p3: f64): void {
  const s = f32x4.splat(<f32>scale);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(g + o, f32x4.add(v128.load(x + o), f32x4.mul(s, v128.load(y + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(g + o, load<f32>(x + o) + <f32>scale * load<f32>(y + o));
  }
  for (let b: i32 = 0; b < n; b += 256) store<f64>(bsums + ((<usize>(b >> 8)) << 3), 0.0);
}
