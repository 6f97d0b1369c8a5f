// Box kernels on float32 data: the fast paths of src/wasm/boxes.ts.
//
// Boxes are (N, 4) float32 rows at byte addresses, in format `fmt` (0 xyxy, 1 xywh, 2 cxcywh:
// BOX_FORMATS of core/layout.ts, converted with boxToXyxy's float64 arithmetic). Everything is
// computed in float64 and rounded once into float32 outputs.
//
// boxIouRows: the pairwise matrices of torchvision's box_iou, generalized_box_iou and
// distance_box_iou (forward), the arithmetic of pairwiseAt ('iou', 'giou', 'diou') in
// src/losses/boxes/boxIou.ts operation for operation, so every float64 entry is bit-identical to
// the JavaScript one (and so is its float32 rounding):
//   I = max(iw, 0)·max(ih, 0), U = (A1 + A2) − I, IoU = I/U (no eps: 0/0 = NaN);
//   GIoU = IoU − (C − U)/C, C = max(cw, 0)·max(ch, 0) (enclosing box);
//   DIoU = IoU − ρ²/(max(cw, 0)² + max(ch, 0)² + eps).
// pmin/pmax keep the first operand when a comparison is false; where they differ from Math.min/
// Math.max (a NaN second operand, ±0) the result is the same: a NaN coordinate makes its area NaN
// and so U, IoU and every kind NaN, and a clamped side's sign is normalised by + 0 (so a −0 side
// never turns a 0 area into −0 and a division into −inf).
//
// ciou: torchvision 0.14's complete_box_iou_loss per pair with the corner gradient, the
// arithmetic of ciouAt (ciou.ts) / diouPair (diou.ts) / BoxGeo.set('mask') and back()
// (common.ts), with vatan in place of Math.atan.

import { vatan } from './vmath';

// @ts-ignore: decorator
@inline const FOUR_OVER_PI2: f64 = 0.4052847345693511; // 4/π² = 4 / Math.PI ** 2 in JS

// @ts-ignore: decorator
@inline function sel(mask: v128, a: v128, b: v128): v128 {
  return v128.bitselect(a, b, mask);
}

// @ts-ignore: decorator
@inline function sp(x: f64): v128 {
  return f64x2.splat(x);
}

// @ts-ignore: decorator
@inline function pack(a: v128, b: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
}

// Kinds of pairwise matrix (pairwiseAt's 'iou', 'giou', 'diou').
// @ts-ignore: decorator
@inline const K_IOU: i32 = 0;
// @ts-ignore: decorator
@inline const K_GIOU: i32 = 1;
// @ts-ignore: decorator
@inline const K_DIOU: i32 = 2;

/**
 * One matrix entry per lane of kind k (a constant): pairwiseAt's forward arithmetic with BoxGeo in
 * 'clamp' mode and the enclosing box clamped at 0. pcx, pcy: the first box's centre
 * (x1 + x2)/2, (y1 + y2)/2 (DIoU only).
 */
// @ts-ignore: decorator
@inline function pair2(
  k: i32,
  px1: v128, py1: v128, px2: v128, py2: v128, ap: v128, pcx: v128, pcy: v128,
  tx1: v128, ty1: v128, tx2: v128, ty2: v128, at: v128,
  eps: f64,
): v128 {
  const zero = sp(0.0);
  const iw = f64x2.sub(f64x2.pmin(px2, tx2), f64x2.pmax(px1, tx1));
  const ih = f64x2.sub(f64x2.pmin(py2, ty2), f64x2.pmax(py1, ty1));
  const inter = f64x2.add(f64x2.mul(f64x2.pmax(iw, zero), f64x2.pmax(ih, zero)), zero);
  const union = f64x2.sub(f64x2.add(ap, at), inter);
  const iou = f64x2.div(inter, union);
  if (k == K_IOU) return iou;
  // Enclosing box, clamped at 0 (+ 0 makes a −0 side +0, as Math.max(−0, 0)).
  const cw = f64x2.add(f64x2.pmax(f64x2.sub(f64x2.pmax(px2, tx2), f64x2.pmin(px1, tx1)), zero), zero);
  const ch = f64x2.add(f64x2.pmax(f64x2.sub(f64x2.pmax(py2, ty2), f64x2.pmin(py1, ty1)), zero), zero);
  if (k == K_GIOU) {
    const area = f64x2.mul(cw, ch);
    return f64x2.sub(iou, f64x2.div(f64x2.sub(area, union), area));
  }
  const half = sp(0.5);
  const dx = f64x2.sub(pcx, f64x2.mul(f64x2.add(tx1, tx2), half));
  const dy = f64x2.sub(pcy, f64x2.mul(f64x2.add(ty1, ty2), half));
  const c2 = f64x2.add(f64x2.add(f64x2.mul(cw, cw), f64x2.mul(ch, ch)), sp(eps));
  const rho2 = f64x2.add(f64x2.mul(dx, dx), f64x2.mul(dy, dy));
  return f64x2.sub(iou, f64x2.div(rho2, c2));
}

/**
 * `rows` rows of a pairwise matrix of kind k: first-set boxes (float32, format fmt) at x, the
 * second set at soa as float64 arrays x1, y1, x2, y2, area (m values each, prepared by
 * src/wasm/boxes.ts), row r written as m float32 at out + 4·r·m; the sum of row r (two f64x2
 * accumulators, then the odd columns) as a float64 at rsums + 8·r.
 */
// @ts-ignore: decorator
@inline function rowsRun(
  k: i32,
  x: usize,
  rows: i32,
  fmt: i32,
  soa: usize,
  m: i32,
  out: usize,
  rsums: usize,
  eps: f64,
): void {
  const s = <usize>m << 3;
  const X1 = soa;
  const Y1 = soa + s;
  const X2 = soa + 2 * s;
  const Y2 = soa + 3 * s;
  const AR = soa + 4 * s;
  for (let r: i32 = 0; r < rows; r++) {
    const p = x + ((<usize>r) << 4);
    const a = <f64>load<f32>(p);
    const b = <f64>load<f32>(p, 4);
    const c = <f64>load<f32>(p, 8);
    const d = <f64>load<f32>(p, 12);
    let x1 = a;
    let y1 = b;
    let x2 = c;
    let y2 = d;
    if (fmt == 1) {
      x2 = a + c;
      y2 = b + d;
    } else if (fmt == 2) {
      x1 = a - 0.5 * c;
      y1 = b - 0.5 * d;
      x2 = a + 0.5 * c;
      y2 = b + 0.5 * d;
    }
    const px1 = sp(x1);
    const py1 = sp(y1);
    const px2 = sp(x2);
    const py2 = sp(y2);
    const ap = sp((x2 - x1) * (y2 - y1));
    const pcx = sp((x2 + x1) / 2);
    const pcy = sp((y2 + y1) / 2);
    const orow = out + (((<usize>r) * (<usize>m)) << 2);
    let acc0 = sp(0.0);
    let acc1 = sp(0.0);
    let j: i32 = 0;
    for (; j + 4 <= m; j += 4) {
      const o = (<usize>j) << 3;
      const v0 = pair2(
        k, px1, py1, px2, py2, ap, pcx, pcy,
        v128.load(X1 + o), v128.load(Y1 + o), v128.load(X2 + o), v128.load(Y2 + o), v128.load(AR + o),
        eps,
      );
      const v1 = pair2(
        k, px1, py1, px2, py2, ap, pcx, pcy,
        v128.load(X1 + o, 16), v128.load(Y1 + o, 16), v128.load(X2 + o, 16), v128.load(Y2 + o, 16),
        v128.load(AR + o, 16),
        eps,
      );
      acc0 = f64x2.add(acc0, v0);
      acc1 = f64x2.add(acc1, v1);
      v128.store(orow + ((<usize>j) << 2), pack(v0, v1));
    }
    let tail: f64 = 0;
    for (; j < m; j++) {
      const o = (<usize>j) << 3;
      const v = f64x2.extract_lane(
        pair2(
          k, px1, py1, px2, py2, ap, pcx, pcy,
          sp(load<f64>(X1 + o)), sp(load<f64>(Y1 + o)), sp(load<f64>(X2 + o)), sp(load<f64>(Y2 + o)),
          sp(load<f64>(AR + o)),
          eps,
        ),
        0,
      );
      tail += v;
      store<f32>(orow + ((<usize>j) << 2), <f32>v);
    }
    store<f64>(
      rsums + ((<usize>r) << 3),
      f64x2.extract_lane(acc0, 0) +
        f64x2.extract_lane(acc0, 1) +
        (f64x2.extract_lane(acc1, 0) + f64x2.extract_lane(acc1, 1)) +
        tail,
    );
  }
}

/** Pairwise matrix rows of kind k (0 IoU, 1 GIoU, 2 DIoU with eps): see rowsRun. */
export function boxIouRows(
  x: usize,
  rows: i32,
  fmt: i32,
  soa: usize,
  m: i32,
  out: usize,
  rsums: usize,
  k: i32,
  eps: f64,
): void {
  if (k == K_IOU) rowsRun(K_IOU, x, rows, fmt, soa, m, out, rsums, eps);
  else if (k == K_GIOU) rowsRun(K_GIOU, x, rows, fmt, soa, m, out, rsums, eps);
  else rowsRun(K_DIOU, x, rows, fmt, soa, m, out, rsums, eps);
}

// ---------------------------------------------------------------------------------------------
// CIoU

/** Corner gradients of the last pair evaluated (ciou2 returns the loss). */
let G0: v128 = f64x2.splat(0.0);
let G1: v128 = f64x2.splat(0.0);
let G2: v128 = f64x2.splat(0.0);
let G3: v128 = f64x2.splat(0.0);

/** Math.sign on lanes: 1, −1, ±0 kept, NaN kept. */
// @ts-ignore: decorator
@inline function vsign(d: v128): v128 {
  return sel(f64x2.gt(d, sp(0.0)), sp(1.0), sel(f64x2.lt(d, sp(0.0)), sp(-1.0), d));
}

/** dmax(a, b) of common.ts: 0.5 + 0.5·sign(a − b). */
// @ts-ignore: decorator
@inline function dmax(a: v128, b: v128): v128 {
  return f64x2.add(sp(0.5), f64x2.mul(sp(0.5), vsign(f64x2.sub(a, b))));
}

/** dmin(a, b) of common.ts: 0.5 − 0.5·sign(a − b). */
// @ts-ignore: decorator
@inline function dmin(a: v128, b: v128): v128 {
  return f64x2.sub(sp(0.5), f64x2.mul(sp(0.5), vsign(f64x2.sub(a, b))));
}

// Math.min/Math.max of the JavaScript kernel as pmin/pmax: they differ only for a NaN second
// operand and for ±0. A NaN coordinate makes an area, so the union, the IoU, gUnion and with it
// every output of the pair NaN either way; a signed zero from a min/max can only change the sign of
// a zero result, and gradients are stored as 0 + g (the zeroed buffer the JS kernel adds into),
// which makes −0 +0 as in JavaScript; the loss is 1 − IoU + ... ≥ 0, never −0.
// @ts-ignore: decorator
@inline function jmin(a: v128, b: v128): v128 {
  return f64x2.pmin(a, b);
}
// @ts-ignore: decorator
@inline function jmax(a: v128, b: v128): v128 {
  return f64x2.pmax(a, b);
}

/**
 * One CIoU pair per lane (ciouAt of ciou.ts): returns the loss, leaves d(loss)/d(x1, y1, x2, y2)
 * of the prediction in G0..G3. eps is the option (α only); the DIoU part uses 1e-7 as torchvision.
 */
// @ts-ignore: decorator
@inline function ciou2(
  px1: v128, py1: v128, px2: v128, py2: v128,
  tx1: v128, ty1: v128, tx2: v128, ty2: v128,
  eps: f64,
): v128 {
  const zero = sp(0.0);
  const one = sp(1.0);
  const deps = sp(1e-7);
  // BoxGeo.set(q, 'mask', false)
  const pw = f64x2.sub(px2, px1);
  const ph = f64x2.sub(py2, py1);
  const tw = f64x2.sub(tx2, tx1);
  const th = f64x2.sub(ty2, ty1);
  const ap = f64x2.mul(pw, ph);
  const at = f64x2.mul(tw, th);
  const iw = f64x2.sub(jmin(px2, tx2), jmax(px1, tx1));
  const ih = f64x2.sub(jmin(py2, ty2), jmax(py1, ty1));
  const on = v128.and(f64x2.gt(iw, zero), f64x2.gt(ih, zero));
  const inter = v128.and(on, f64x2.mul(iw, ih));
  const union = f64x2.sub(f64x2.add(ap, at), inter);
  const cw = f64x2.sub(jmax(px2, tx2), jmin(px1, tx1));
  const ch = f64x2.sub(jmax(py2, ty2), jmin(py1, ty1));
  const half = sp(0.5);
  const dx = f64x2.sub(f64x2.mul(f64x2.add(px2, px1), half), f64x2.mul(f64x2.add(tx1, tx2), half));
  const dy = f64x2.sub(f64x2.mul(f64x2.add(py2, py1), half), f64x2.mul(f64x2.add(ty1, ty2), half));
  // diouPair
  const ue = f64x2.add(union, deps);
  const iou = f64x2.div(inter, ue);
  const c2 = f64x2.add(f64x2.add(f64x2.mul(cw, cw), f64x2.mul(ch, ch)), deps);
  const rho2 = f64x2.add(f64x2.mul(dx, dx), f64x2.mul(dy, dy));
  const gc2 = f64x2.div(f64x2.neg(rho2), f64x2.mul(c2, c2));
  const two = sp(2.0);
  const gInter = f64x2.div(f64x2.neg(one), ue);
  const gUnion = f64x2.div(iou, ue);
  const gcw = f64x2.mul(f64x2.mul(two, cw), gc2);
  const gch = f64x2.mul(f64x2.mul(two, ch), gc2);
  const gdx = f64x2.div(f64x2.mul(two, dx), c2);
  const gdy = f64x2.div(f64x2.mul(two, dy), c2);
  // BoxGeo.back(gInter, gUnion, gcw, gch, gdx, gdy, 0, 0) in 'mask' mode, no enclosing clamp
  const gI = f64x2.sub(gInter, gUnion);
  const gw = f64x2.add(zero, f64x2.mul(gUnion, ph));
  const gh = f64x2.add(zero, f64x2.mul(gUnion, pw));
  const giw = v128.and(on, f64x2.mul(gI, ih));
  const gih = v128.and(on, f64x2.mul(gI, iw));
  const hdx = f64x2.mul(half, gdx);
  const hdy = f64x2.mul(half, gdy);
  let g0 = f64x2.sub(
    f64x2.add(
      f64x2.sub(f64x2.neg(f64x2.mul(giw, dmax(px1, tx1))), f64x2.mul(gcw, dmin(px1, tx1))),
      hdx,
    ),
    gw,
  );
  let g1 = f64x2.sub(
    f64x2.add(
      f64x2.sub(f64x2.neg(f64x2.mul(gih, dmax(py1, ty1))), f64x2.mul(gch, dmin(py1, ty1))),
      hdy,
    ),
    gh,
  );
  let g2 = f64x2.add(
    f64x2.add(f64x2.add(f64x2.mul(giw, dmin(px2, tx2)), f64x2.mul(gcw, dmax(px2, tx2))), hdx),
    gw,
  );
  let g3 = f64x2.add(
    f64x2.add(f64x2.add(f64x2.mul(gih, dmin(py2, ty2)), f64x2.mul(gch, dmax(py2, ty2))), hdy),
    gh,
  );
  const d = f64x2.add(f64x2.sub(one, iou), f64x2.div(rho2, c2));
  // aspectTerm(pw, ph, tw, th, 1)
  const qp = f64x2.div(pw, ph);
  const a = f64x2.sub(vatan(f64x2.div(tw, th)), vatan(qp));
  const ga = f64x2.mul(sp(2.0 * FOUR_OVER_PI2), a);
  const gq = f64x2.div(f64x2.neg(ga), f64x2.add(one, f64x2.mul(qp, qp)));
  const vg0 = f64x2.div(gq, ph);
  const vg1 = f64x2.mul(f64x2.neg(gq), f64x2.div(qp, ph));
  const v = f64x2.mul(f64x2.mul(sp(FOUR_OVER_PI2), a), a);
  // ciouAt: α = v/(1 − IoU + v + eps), constant
  const alpha = f64x2.div(v, f64x2.add(f64x2.add(f64x2.sub(one, iou), v), sp(eps)));
  const gwa = f64x2.mul(alpha, vg0);
  const gha = f64x2.mul(alpha, vg1);
  G0 = f64x2.sub(g0, gwa);
  G1 = f64x2.sub(g1, gha);
  G2 = f64x2.add(g2, gwa);
  G3 = f64x2.add(g3, gha);
  return f64x2.add(d, f64x2.mul(alpha, v));
}

/** Lane k of four float32 boxes' coordinates: [a[k], b[k]] as float64 from two rows a and b. */
// @ts-ignore: decorator
@inline function col0(a: v128, b: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(a, b, 0, 4, 0, 4));
}
// @ts-ignore: decorator
@inline function col1(a: v128, b: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(a, b, 1, 5, 1, 5));
}
// @ts-ignore: decorator
@inline function col2(a: v128, b: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(a, b, 2, 6, 2, 6));
}
// @ts-ignore: decorator
@inline function col3(a: v128, b: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(a, b, 3, 7, 3, 7));
}

/** Corners from coordinates (a, b, c, d) in format fmt (boxToXyxy), into C0..C3. */
let C0: v128 = f64x2.splat(0.0);
let C1: v128 = f64x2.splat(0.0);
let C2: v128 = f64x2.splat(0.0);
let C3: v128 = f64x2.splat(0.0);

// @ts-ignore: decorator
@inline function corners(fmt: i32, a: v128, b: v128, c: v128, d: v128): void {
  if (fmt == 0) {
    C0 = a;
    C1 = b;
    C2 = c;
    C3 = d;
  } else if (fmt == 1) {
    C0 = a;
    C1 = b;
    C2 = f64x2.add(a, c);
    C3 = f64x2.add(b, d);
  } else {
    const h = sp(0.5);
    C0 = f64x2.sub(a, f64x2.mul(h, c));
    C1 = f64x2.sub(b, f64x2.mul(h, d));
    C2 = f64x2.add(a, f64x2.mul(h, c));
    C3 = f64x2.add(b, f64x2.mul(h, d));
  }
}

/**
 * The gradient in the input's format from the corner gradient times c (addBoxGrad of
 * core/layout.ts, added to the zeroed buffer: 0 + g), into C0..C3.
 */
// @ts-ignore: decorator
@inline function formatGrad(fmt: i32, c: v128): void {
  const z = sp(0.0);
  const g0 = f64x2.mul(c, G0);
  const g1 = f64x2.mul(c, G1);
  const g2 = f64x2.mul(c, G2);
  const g3 = f64x2.mul(c, G3);
  if (fmt == 0) {
    C0 = f64x2.add(z, g0);
    C1 = f64x2.add(z, g1);
    C2 = f64x2.add(z, g2);
    C3 = f64x2.add(z, g3);
  } else if (fmt == 1) {
    C0 = f64x2.add(z, f64x2.add(g0, g2));
    C1 = f64x2.add(z, f64x2.add(g1, g3));
    C2 = f64x2.add(z, g2);
    C3 = f64x2.add(z, g3);
  } else {
    const h = sp(0.5);
    C0 = f64x2.add(z, f64x2.add(g0, g2));
    C1 = f64x2.add(z, f64x2.add(g1, g3));
    C2 = f64x2.add(z, f64x2.mul(h, f64x2.sub(g2, g0)));
    C3 = f64x2.add(z, f64x2.mul(h, f64x2.sub(g3, g1)));
  }
}

/**
 * n row-paired boxes (input at x, target at t, float32, format fmt). Per block of 256 pairs the
 * losses are added in a fixed order (a f64x2 accumulator over pairs 2k, 2k + 1, then the odd last
 * pair) and the block sum is stored as a float64 at bsums + 8·(block index); when out ≠ 0 the
 * losses are stored as float32; when g ≠ 0 the gradient of Σ c_i·loss_i with c_i = scale, or
 * seed[i]·scale when seed ≠ 0, is stored (N, 4) float32 at g. Calls start on multiples of 256.
 */
// @ts-ignore: decorator
@inline function ciouRun(
  fmt: i32,
  x: usize,
  t: usize,
  n: i32,
  g: usize,
  out: usize,
  seed: usize,
  scale: f64,
  bsums: usize,
  eps: f64,
): void {
  const sc = sp(scale);
  for (let b: i32 = 0; b < n; b += 256) {
    const e = min(n, b + 256);
    let acc = sp(0.0);
    let i = b;
    for (; i + 2 <= e; i += 2) {
      const o = (<usize>i) << 4;
      const xa = v128.load(x + o);
      const xb = v128.load(x + o, 16);
      const ta = v128.load(t + o);
      const tb = v128.load(t + o, 16);
      corners(fmt, col0(xa, xb), col1(xa, xb), col2(xa, xb), col3(xa, xb));
      const px1 = C0;
      const py1 = C1;
      const px2 = C2;
      const py2 = C3;
      corners(fmt, col0(ta, tb), col1(ta, tb), col2(ta, tb), col3(ta, tb));
      const l = ciou2(px1, py1, px2, py2, C0, C1, C2, C3, eps);
      acc = f64x2.add(acc, l);
      if (out != 0) v128.store64_lane(out + ((<usize>i) << 2), f32x4.demote_f64x2_zero(l), 0);
      if (g != 0) {
        let c = sc;
        if (seed != 0) {
          c = f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(seed + ((<usize>i) << 2))), sc);
        }
        formatGrad(fmt, c);
        const r01 = v128.shuffle<f32>(
          f32x4.demote_f64x2_zero(C0), f32x4.demote_f64x2_zero(C1), 0, 4, 1, 5,
        );
        const r23 = v128.shuffle<f32>(
          f32x4.demote_f64x2_zero(C2), f32x4.demote_f64x2_zero(C3), 0, 4, 1, 5,
        );
        v128.store(g + o, v128.shuffle<f32>(r01, r23, 0, 1, 4, 5));
        v128.store(g + o, v128.shuffle<f32>(r01, r23, 2, 3, 6, 7), 16);
      }
    }
    let tail: f64 = 0;
    if (i < e) {
      const o = (<usize>i) << 4;
      corners(
        fmt,
        sp(<f64>load<f32>(x + o)), sp(<f64>load<f32>(x + o, 4)),
        sp(<f64>load<f32>(x + o, 8)), sp(<f64>load<f32>(x + o, 12)),
      );
      const px1 = C0;
      const py1 = C1;
      const px2 = C2;
      const py2 = C3;
      corners(
        fmt,
        sp(<f64>load<f32>(t + o)), sp(<f64>load<f32>(t + o, 4)),
        sp(<f64>load<f32>(t + o, 8)), sp(<f64>load<f32>(t + o, 12)),
      );
      const l = f64x2.extract_lane(ciou2(px1, py1, px2, py2, C0, C1, C2, C3, eps), 0);
      tail = l;
      if (out != 0) store<f32>(out + ((<usize>i) << 2), <f32>l);
      if (g != 0) {
        const c = seed != 0 ? <f64>load<f32>(seed + ((<usize>i) << 2)) * scale : scale;
        formatGrad(fmt, sp(c));
        store<f32>(g + o, <f32>f64x2.extract_lane(C0, 0));
        store<f32>(g + o, <f32>f64x2.extract_lane(C1, 0), 4);
        store<f32>(g + o, <f32>f64x2.extract_lane(C2, 0), 8);
        store<f32>(g + o, <f32>f64x2.extract_lane(C3, 0), 12);
      }
    }
    store<f64>(
      bsums + ((<usize>(b >> 8)) << 3),
      f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1) + tail,
    );
  }
}

export function ciou(
  x: usize,
  t: usize,
  n: i32,
  g: usize,
  out: usize,
  seed: usize,
  scale: f64,
  bsums: usize,
  fmt: i32,
  eps: f64,
): void {
  if (fmt == 0) ciouRun(0, x, t, n, g, out, seed, scale, bsums, eps);
  else if (fmt == 1) ciouRun(1, x, t, n, g, out, seed, scale, bsums, eps);
  else ciouRun(2, x, t, n, g, out, seed, scale, bsums, eps);
}

/** vatan over n float64 at x into y (for the accuracy test of vatan; odd n: last lane alone). */
export function atanF64(x: usize, y: usize, n: i32): void {
  let i: i32 = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(y + o, vatan(v128.load(x + o)));
  }
  if (i < n) {
    const o = (<usize>i) << 3;
    store<f64>(y + o, f64x2.extract_lane(vatan(f64x2.splat(load<f64>(x + o))), 0));
  }
}
