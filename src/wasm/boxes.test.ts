import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FloatArray, Tensor } from '../core/tensor.js';
import { boxIou } from '../losses/boxes/boxIou.js';
import { evaluate } from '../registry.js';
import type { GoldenCase } from '../test-support/golden.js';
import { decodeNumber, decodeOptions, decodeTensor, loadGolden } from '../test-support/golden.js';
import { getRuntime, setWasm, setWasmMinSize } from './runtime.js';
import { setWasmThreads } from './threads.js';
import { wasmTensor } from './tensor.js';

/**
 * The float32 fast paths of boxIou and ciou against the JavaScript kernels on the same float32
 * inputs (setWasm(false)): the JavaScript float32 results are the float64 results rounded once, so
 * agreement within 1e-6 relative (and the same NaN and infinity positions) is the promise. boxIou's
 * wasm matrix computes the JavaScript arithmetic operation for operation, so it must be identical.
 */

let oldMin = 0;
beforeAll(() => {
  oldMin = setWasmMinSize(0);
});
afterAll(() => {
  setWasmMinSize(oldMin);
  setWasm(true);
});

type Result = ReturnType<typeof evaluate>;

function withWasm<T>(on: boolean, f: () => T): T {
  setWasm(on);
  try {
    return f();
  } finally {
    setWasm(true);
  }
}

/** Relative error of a against the reference b; NaN, ±Infinity and zeros must match exactly. */
function relErr(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  if (Number.isNaN(a) || Number.isNaN(b) || !Number.isFinite(a) || !Number.isFinite(b)) {
    return Infinity;
  }
  if (b === 0) return a === 0 ? 0 : Infinity;
  return Math.abs(a - b) / Math.abs(b);
}

function worstOf(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, relErr(a[i], b[i]));
  return w;
}

/** The worst relative error over value and every gradient of two results. */
function worst(fast: Result, js: Result): number {
  let w =
    typeof js.value === 'number'
      ? relErr(fast.value as number, js.value)
      : worstOf((fast.value as Tensor).data, js.value.data);
  for (const [k, g] of Object.entries(js.grads ?? {})) {
    const f = fast.grads?.[k];
    expect(f, `gradient '${k}'`).toBeDefined();
    w = Math.max(w, worstOf(f!.data, g.data));
  }
  return w;
}

function f32(t: Tensor): Tensor<Float32Array> {
  return { data: Float32Array.from(t.data), shape: t.shape.slice() };
}

interface Case {
  inputs: Record<string, Tensor>;
  options: Record<string, unknown>;
  upstream: Tensor | number | undefined;
}

function goldenAsF32(c: GoldenCase): Case {
  const inputs: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(c.inputs)) inputs[k] = f32(decodeTensor(v));
  const up = c.upstream;
  const upstream =
    up === null ? undefined : typeof up === 'object' ? f32(decodeTensor(up)) : decodeNumber(up);
  return { inputs, options: decodeOptions(c.options), upstream };
}

function both(id: string, c: Case, grad: boolean): [Result, Result] {
  const run = (): Result => evaluate(id, c.inputs, c.options, { grad, upstream: c.upstream });
  return [withWasm(true, run), withWasm(false, run)];
}

/** A seeded generator (mulberry32) of uniform numbers in [0, 1). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * n boxes (xyxy) from a mix of ordinary boxes, degenerate and inverted ones, extremes (±1e30,
 * tiny sizes), and a few NaN / ±Infinity coordinates.
 */
function sweepBoxes(n: number, seed: number, specials: boolean): Float32Array {
  const r = rng(seed);
  const d = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    const kind = r();
    let x1 = r() * 10 - 5;
    let y1 = r() * 10 - 5;
    let w = r() * 4;
    let h = r() * 4;
    if (kind < 0.05) w = 0;
    else if (kind < 0.1) h = 0;
    else if (kind < 0.13) w = -w;
    else if (kind < 0.16) {
      x1 *= 1e30;
      w *= 1e30;
    } else if (kind < 0.19) {
      w *= 1e-30;
      h *= 1e-30;
    } else if (kind < 0.22) {
      x1 = Math.round(x1);
      y1 = Math.round(y1);
      w = Math.round(w) + 1;
      h = Math.round(h) + 1;
    }
    d.set([x1, y1, x1 + w, y1 + h], 4 * i);
    if (specials && kind > 0.985) {
      const v = [NaN, Infinity, -Infinity][Math.floor(r() * 3)];
      d[4 * i + Math.floor(r() * 4)] = v;
    }
  }
  return d;
}

describe('vatan (wasm/assembly/vmath.ts)', () => {
  it('is within 1e-14 relative of Math.atan over a sweep with zeros, infinities, NaN, tiny and huge', () => {
    const rt = getRuntime();
    expect(rt).not.toBeNull();
    const r = rng(7);
    const xs: number[] = [
      0,
      -0,
      Infinity,
      -Infinity,
      NaN,
      5e-324,
      -5e-324,
      2.2250738585072014e-308,
      1e-300,
      1e-20,
      1.4901161193847656e-8,
      1.4901161193847656e-8 * (1 - 2 ** -52),
      0.41421356237309503,
      0.41421356237309503 * (1 + 2 ** -52),
      1,
      1 - 2 ** -53,
      1 + 2 ** -52,
      -1,
      2.414213562373095,
      1e8,
      1e300,
      1.7976931348623157e308,
      -1.7976931348623157e308,
    ];
    for (let i = 0; i < 20000; i++) xs.push((r() * 6 - 3) * (r() < 0.5 ? 1 : -1));
    for (let i = 0; i < 20000; i++) xs.push((r() < 0.5 ? 1 : -1) * 10 ** (r() * 80 - 40));
    xs.push(1); // an odd count: the scalar tail of atanF64 runs too
    const n = xs.length;
    const p = rt!.heap.alloc(16 * n);
    try {
      const mem = rt!.f64();
      mem.set(xs, p >>> 3);
      rt!.kernels.get('atanF64')!(p, p + 8 * n, n);
      const ys = rt!.f64().subarray((p >>> 3) + n, (p >>> 3) + 2 * n);
      let w = 0;
      for (let i = 0; i < n; i++) {
        const want = Math.atan(xs[i]);
        if (Number.isNaN(want) || want === 0)
          expect(Object.is(ys[i], want), `atan(${xs[i]})`).toBe(true);
        else w = Math.max(w, Math.abs(ys[i] - want) / Math.abs(want));
      }
      expect(w).toBeLessThan(1e-14);
      expect(ys[2]).toBe(Math.PI / 2);
      expect(ys[3]).toBe(-Math.PI / 2);
      expect(ys[5]).toBe(5e-324);
    } finally {
      rt!.heap.release(p, 16 * n);
    }
  });
});

const MATRICES = ['boxIou', 'generalizedBoxIou', 'distanceBoxIou'];

describe('pairwise matrix fast paths (boxIou, generalizedBoxIou, distanceBoxIou)', () => {
  it('give the JavaScript matrix bit for bit on every golden case (float32, every format)', () => {
    for (const id of MATRICES) {
      for (const gc of loadGolden(id).cases) {
        const c = goldenAsF32(gc);
        const [fast, js] = both(id, c, false);
        expect(Array.from((fast.value as Tensor).data), `${id} ${gc.name}`).toEqual(
          Array.from((js.value as Tensor).data),
        );
      }
    }
  });

  it('leave gradients to the JavaScript kernel (identical results with grad: true)', () => {
    for (const id of MATRICES) {
      for (const gc of loadGolden(id).cases) {
        const c = goldenAsF32(gc);
        const [fast, js] = both(id, c, true);
        expect(worst(fast, js)).toBe(0);
      }
    }
  });

  it('are identical on a seeded sweep with degenerate, inverted, extreme, NaN and infinite boxes', () => {
    for (const id of MATRICES)
      for (const format of ['xyxy', 'xywh', 'cxcywh']) {
        for (const [n, m] of [
          [37, 53],
          [5, 1],
          [1, 7],
          [64, 33],
        ]) {
          const c: Case = {
            inputs: {
              input: { data: sweepBoxes(n, n + m, true), shape: [n, 4] },
              target: { data: sweepBoxes(m, 3 * m + 1, true), shape: [m, 4] },
            },
            options: id === 'distanceBoxIou' ? { format, eps: 1e-3 } : { format },
            upstream: undefined,
          };
          const [fast, js] = both(id, c, false);
          const a = (fast.value as Tensor).data;
          const b = (js.value as Tensor).data;
          let same = true;
          for (let i = 0; i < a.length; i++) same &&= Object.is(a[i], b[i]);
          expect(same, `${id} ${format} ${n}x${m}`).toBe(true);
        }
      }
  });

  it('stages rows longer than the scratch area and many row chunks, and matches the zero-copy path', () => {
    const cases: [number, number][] = [
      [3, 70001],
      [1300, 67],
    ];
    for (const [n, m] of cases) {
      const x = sweepBoxes(n, 11, false);
      const t = sweepBoxes(m, 12, false);
      const c: Case = {
        inputs: { input: { data: x, shape: [n, 4] }, target: { data: t, shape: [m, 4] } },
        options: {},
        upstream: undefined,
      };
      const [fast, js] = both('boxIou', c, false);
      const staged = (fast.value as Tensor).data;
      expect(worstOf(staged, (js.value as Tensor).data)).toBe(0);
      // Zero-copy: inputs and the output matrix in losskit's memory, through the entry's kernel.
      const xt = wasmTensor(4 * n);
      const tt = wasmTensor(4 * m);
      const ot = wasmTensor(n * m);
      try {
        xt.array.set(x);
        tt.array.set(t);
        const plan = boxIou.kernels.prepare(
          { input: { data: xt.array, shape: [n, 4] }, target: { data: tt.array, shape: [m, 4] } },
          { format: 'xyxy', reduction: 'none' },
          'boxIou',
        );
        boxIou.kernels.kernel(plan, ot.array, null, null, 1);
        let same = true;
        const o = ot.array;
        for (let i = 0; i < o.length; i++) same &&= Object.is(o[i], staged[i]);
        expect(same).toBe(true);
      } finally {
        xt.free();
        tt.free();
        ot.free();
      }
    }
  });
});

describe('ciou fast path', () => {
  const golden = loadGolden('ciou');
  it('matches the JavaScript kernel within 1e-6 on every golden case (float32, with upstream)', () => {
    let w = 0;
    for (const gc of golden.cases) {
      if (gc.error !== undefined) continue;
      const c = goldenAsF32(gc);
      const [fast, js] = both('ciou', c, true);
      w = Math.max(w, worst(fast, js));
      const [fv, jv] = both('ciou', c, false);
      w = Math.max(w, worst(fv, jv));
    }
    expect(w).toBeLessThan(1e-6);
  });

  it('matches on a seeded sweep with extremes, NaN and infinities, for every format and reduction', () => {
    let w = 0;
    for (const format of ['xyxy', 'xywh', 'cxcywh']) {
      for (const reduction of ['mean', 'sum', 'none']) {
        for (const n of [1, 2, 3, 255, 257, 1001]) {
          const input = sweepBoxes(n, 5 * n + 1, true);
          const target = sweepBoxes(n, 7 * n + 2, true);
          const seed = reduction === 'none' ? new Float32Array(n) : undefined;
          if (seed !== undefined) for (let i = 0; i < n; i++) seed[i] = Math.sin(i) * 2;
          const c: Case = {
            inputs: {
              input: { data: input, shape: [n, 4] },
              target: { data: target, shape: [n, 4] },
            },
            options: { format, reduction, eps: 1e-7 },
            upstream: seed === undefined ? 0.5 : { data: seed, shape: [n] },
          };
          const [fast, js] = both('ciou', c, true);
          w = Math.max(w, worst(fast, js));
        }
      }
    }
    expect(w).toBeLessThan(1e-6);
  });

  it('gives the staged result bit for bit on the zero-copy path, across several scratch chunks', () => {
    const n = 10007; // three chunks of 4096 pairs, not a multiple of 2 or 256
    const x = sweepBoxes(n, 21, false);
    const t = sweepBoxes(n, 22, false);
    const run = (input: FloatArray, target: FloatArray, into?: Float32Array): Result =>
      evaluate(
        'ciou',
        { input: { data: input, shape: [n, 4] }, target: { data: target, shape: [n, 4] } },
        { reduction: 'mean' },
        { grad: true, ...(into === undefined ? {} : { into: { input: into } }) },
      );
    const staged = run(x, t);
    const js = withWasm(false, () => run(x, t));
    expect(worst(staged, js)).toBeLessThan(1e-6);
    const xt = wasmTensor(4 * n);
    const tt = wasmTensor(4 * n);
    const gt = wasmTensor(4 * n);
    try {
      xt.array.set(x);
      tt.array.set(t);
      const direct = run(xt.array, tt.array, gt.array);
      expect(direct.value).toBe(staged.value);
      expect(Array.from(direct.grads!.input.data)).toEqual(Array.from(staged.grads!.input.data));
    } finally {
      xt.free();
      tt.free();
      gt.free();
    }
  });
});

describe('threads', () => {
  it('split the zero-copy boxIou rows and ciou blocks over two threads with bit-identical results', async () => {
    const n = 401;
    const m = 403;
    const p = 40_003;
    const bufs = [4 * n, 4 * m, n * m, n * m, 4 * p, 4 * p, 4 * p, 4 * p].map((k) => wasmTensor(k));
    const [xa, xb, o1, o2, px, pt, g1, g2] = bufs;
    try {
      xa.array.set(sweepBoxes(n, 31, true));
      xb.array.set(sweepBoxes(m, 32, true));
      px.array.set(sweepBoxes(p, 33, true));
      pt.array.set(sweepBoxes(p, 34, true));
      const plan = boxIou.kernels.prepare(
        { input: { data: xa.array, shape: [n, 4] }, target: { data: xb.array, shape: [m, 4] } },
        { format: 'cxcywh', reduction: 'none' },
        'boxIou',
      );
      const ci = (g: Float32Array): Result =>
        evaluate(
          'ciou',
          {
            input: { data: px.array, shape: [p, 4] },
            target: { data: pt.array, shape: [p, 4] },
          },
          { reduction: 'sum' },
          { grad: true, into: { input: g } },
        );
      const s1 = boxIou.kernels.kernel(plan, o1.array, null, null, 1);
      const c1 = ci(g1.array);
      expect(await setWasmThreads(2)).toBe(2);
      const s2 = boxIou.kernels.kernel(plan, o2.array, null, null, 1);
      const c2 = ci(g2.array);
      expect(s2).toBe(s1);
      expect(c2.value).toBe(c1.value);
      expect(
        Buffer.from(o2.array.buffer, o2.array.byteOffset, 4 * n * m).equals(
          Buffer.from(o1.array.buffer, o1.array.byteOffset, 4 * n * m),
        ),
      ).toBe(true);
      expect(
        Buffer.from(g2.array.buffer, g2.array.byteOffset, 16 * p).equals(
          Buffer.from(g1.array.buffer, g1.array.byteOffset, 16 * p),
        ),
      ).toBe(true);
      // And the threaded matrix is the JavaScript one.
      const js = withWasm(false, () =>
        evaluate(
          'boxIou',
          {
            input: { data: xa.array.slice(), shape: [n, 4] },
            target: { data: xb.array.slice(), shape: [m, 4] },
          },
          { format: 'cxcywh' },
        ),
      );
      expect(worstOf(o2.array, (js.value as Tensor).data)).toBe(0);
    } finally {
      await setWasmThreads(1);
      for (const b of bufs) b.free();
    }
  });
});
