// Softmax cross-entropy with class indices on float32 logits: the fast path of src/wasm/softmax.ts
// (crossEntropy with no class weights, no label smoothing, classes contiguous: inner = 1).
//
// crossEntropyRows reads `rows` rows of C float32 logits at byte address x (row r at x + 4·r·C) and
// their int32 targets at t, and for each row
//   - a target equal to `ignore`: stores loss 0 and, when g ≠ 0, a zero gradient row;
//   - otherwise m = max over the row skipping NaN (f32x4.pmax with the running max as FIRST
//     operand keeps it when the data lane is NaN, as maxAlong's `x > m`), e_c = exp(x_c − m) in
//     float64 (vexp) stored ONCE into the float64 scratch row at e (C·8 bytes), Σe in two f64x2
//     accumulators, loss = −(x_t − m − ln Σe) stored as a float64 at loss + 8·r, and when g ≠ 0 the
//     gradient row c_k·(e_c/Σe − [c = t]) rounded to float32 (c_k = scale, or seed[r]·scale when
//     seed ≠ 0), from the stored e (never from rounded float32 values).
// NaN and ±∞ follow the JavaScript kernel: a NaN logit is skipped by the max but propagates through
// Σe into the loss and the whole gradient row; a +∞ gives ∞ − ∞ = NaN; a row of −∞ gives NaN.
// The caller adds the per-row losses in order, so the sum does not depend on chunks or threads.


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

export function crossEntropyRows(
  x: usize,
  C: i32,
  rows: i32,
  t: usize,
  ignore: i32,
  g: usize,
  seed: usize,
  scale: f64,
  e: usize,
  loss: usize,
): void {
  const rowBytes = <usize>C << 2;
  const zero4 = f32x4.splat(0.0);
  for (let r: i32 = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const gr = g + <usize>r * rowBytes;
    const tr = load<i32>(t + (<usize>r << 2));
    if (tr == ignore) {
      store<f64>(loss + (<usize>r << 3), 0.0);
      if (g != 0) {
        let i: i32 = 0;
        for (; i + 4 <= C; i += 4) v128.store(gr + (<usize>i << 2), zero4);
        for (; i < C; i++) store<f32>(gr + (<usize>i << 2), 0.0);
      }
      continue;
    }
    // The max, skipping NaN (the running max is the first operand of pmax).
    let mv = f32x4.splat(-Infinity);
    let i: i32 = 0;
    for (; i + 4 <= C; i += 4) mv = f32x4.pmax(mv, v128.load(xr + (<usize>i << 2)));
    let m: f32 = -Infinity;
    for (let k = 0; k < 4; k++) {
      const v = f32x4.extract_lane(mv, 0);
      if (v > m) m = v;
      mv = v128.shuffle<f32>(mv, mv, 1, 2, 3, 0);
    }
    for (; i < C; i++) {
      const v = load<f32>(xr + (<usize>i << 2));
      if (v > m) m = v;
    }
    const mf = <f64>m;
    const mm = f64x2.splat(mf);
    // The numerators, once, into the float64 row, and their sum.
    let s0 = f64x2.splat(0.0);
    let s1 = f64x2.splat(0.0);
    i = 0;
    for (; i + 4 <= C; i += 4) {
      const xv = v128.load(xr + (<usize>i << 2));
      const e0 = vexpNonPos(f64x2.sub(lo(xv), mm));
      const e1 = vexpNonPos(f64x2.sub(hi(xv), mm));
      const o = e + (<usize>i << 3);
      v128.store(o, e0);
      v128.store(o + 16, e1);
      s0 = f64x2.add(s0, e0);
      s1 = f64x2.add(s1, e1);
    }
    let tail: f64 = 0;
    for (; i < C; i++) {
      const v = f64x2.extract_lane(
        vexpNonPos(f64x2.splat(<f64>load<f32>(xr + (<usize>i << 2)) - mf)),
        0,
      );
      store<f64>(e + (<usize>i << 3), v);
      tail += v;
    }
    const se =
      f64x2.extract_lane(s0, 0) +
      f64x2.extract_lane(s0, 1) +
      (f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1)) +
      tail;
    const ls = Math.log(se);
    const xt = <f64>load<f32>(xr + (<usize>tr << 2));
    store<f64>(loss + (<usize>r << 3), -(xt - mf - ls));
    if (g == 0) continue;
    const ck = seed != 0 ? <f64>load<f32>(seed + (<usize>r << 2)) * scale : scale;
    const q = ck / se;
    const qv = f64x2.splat(q);
    i = 0;
    for (; i + 4 <= C; i += 4) {
      const o = e + (<usize>i << 3);
      v128.store(
        gr + (<usize>i << 2),
        pack(f64x2.mul(v128.load(o), qv), f64x2.mul(v128.load(o + 16), qv)),
      );
    }
    for (; i < C; i++) store<f32>(gr + (<usize>i << 2), <f32>(load<f64>(e + (<usize>i << 3)) * q));
    store<f32>(gr + (<usize>tr << 2), <f32>(load<f64>(e + (<usize>tr << 3)) * q - ck));
  }
}
