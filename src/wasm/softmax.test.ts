import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../test-support/check.js';
import { decodeOptions, decodeTensor, loadGolden } from '../test-support/golden.js';
import { evalBoth, worstOf, worstRelative } from '../test-support/wasm.js';
import { evaluate } from '../registry.js';
import { setWasmMinSize } from './runtime.js';
import { wasmTensor } from './tensor.js';
import { setWasmThreads } from './threads.js';

// crossEntropy's float32 fast path (wasm/assembly/softmax.ts) against its JavaScript kernel on the
// same float32 inputs. The JS kernel computes in float64 and rounds once; the fast path differs only
// by vexp's relative error (< 1e-14, vmath.ts) and the order of the Σexp additions, so every value
// and gradient element must agree within 1e-6 relative, with the same NaN and ±Infinity positions.
const KERNEL = 'crossEntropyRows';
const TOL = 1e-6;

afterAll(async () => {
  await setWasmThreads(1);
});

function f32(t: { data: ArrayLike<number>; shape: number[] }): {
  data: Float32Array;
  shape: number[];
} {
  return { data: Float32Array.from(t.data), shape: t.shape };
}

describe('crossEntropy fast path on the golden cases', () => {
  const golden = loadGolden('crossEntropy');
  for (const c of golden.cases) {
    if (c.error !== undefined) continue;
    it(`agrees with the JavaScript kernel on '${c.name}' in float32`, () => {
      const input = f32(decodeTensor(c.inputs.input));
      const target = decodeTensor(c.inputs.target);
      const tgt = target.data instanceof Int32Array ? target : f32(target);
      const options = decodeOptions(c.options);
      const upstream =
        c.upstream === null
          ? undefined
          : typeof c.upstream === 'object'
            ? f32(decodeTensor(c.upstream))
            : (c.upstream as number);
      const r = evalBoth(KERNEL, 'crossEntropy', { input, target: tgt }, options, {
        grad: true,
        upstream,
      });
      // The fast path takes index targets without weights or smoothing with classes contiguous
      // (input (N, C) or (C)); everything else runs the JavaScript kernel, bit for bit.
      const eligible =
        target.data instanceof Int32Array &&
        !Object.hasOwn(options, 'weight') &&
        !Object.hasOwn(options, 'labelSmoothing') &&
        input.shape.length <= 2;
      if (eligible) {
        expect(r.calls).toBeGreaterThan(0);
        expect(worstOf(r, ['input'])).toBeLessThan(TOL);
      } else {
        expect(r.calls).toBe(0);
        expect(r.fast).toEqual(r.js);
      }
    });
  }
});

describe('sparseCategoricalCrossentropy fast path on the golden cases', () => {
  const golden = loadGolden('sparseCategoricalCrossentropy');
  for (const c of golden.cases) {
    if (c.error !== undefined) continue;
    it(`agrees with the JavaScript kernel on '${c.name}' in float32`, () => {
      const input = f32(decodeTensor(c.inputs.input));
      const target = decodeTensor(c.inputs.target);
      const options = decodeOptions(c.options);
      const upstream =
        c.upstream === null
          ? undefined
          : typeof c.upstream === 'object'
            ? f32(decodeTensor(c.upstream))
            : (c.upstream as number);
      const r = evalBoth(KERNEL, 'sparseCategoricalCrossentropy', { input, target }, options, {
        grad: true,
        upstream,
      });
      // The fast path takes logits with the classes on the last axis (Keras' default axis −1).
      const last = !Object.hasOwn(options, 'axis') || options.axis === input.shape.length - 1;
      if (options.fromLogits === true && last) {
        expect(r.calls).toBeGreaterThan(0);
        expect(worstOf(r, ['input'])).toBeLessThan(TOL);
      } else {
        expect(r.calls).toBe(0);
        expect(r.fast).toEqual(r.js);
      }
    });
  }
});

/** Logits with a spread of magnitudes and a few NaN / ±Infinity rows. */
function sweepCase(
  seed: number,
  rows: number,
  C: number,
  specials: boolean,
): { input: { data: Float32Array; shape: number[] }; target: Int32Array } {
  const rnd = seededRandom(seed);
  const x = new Float32Array(rows * C);
  const target = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const kind = Math.floor(rnd() * 6);
    for (let c = 0; c < C; c++) {
      const u = rnd() * 2 - 1;
      x[r * C + c] = kind === 0 ? u * 100 : kind === 1 ? u * 1e30 : kind === 2 ? u * 1e-3 : u * 8;
    }
    target[r] = rnd() < 0.1 ? -100 : Math.floor(rnd() * C);
    if (specials && r % 17 === 3) x[r * C + Math.floor(rnd() * C)] = NaN;
    if (specials && r % 19 === 5) x[r * C + Math.floor(rnd() * C)] = Infinity;
    if (specials && r % 23 === 7) x[r * C + Math.floor(rnd() * C)] = -Infinity;
    if (specials && r === 11) x.fill(-Infinity, r * C, (r + 1) * C);
  }
  return { input: { data: x, shape: [rows, C] }, target };
}

describe('crossEntropy fast path on a seeded sweep', () => {
  for (const [rows, C] of [
    [300, 37],
    [70, 1000],
    [5, 3],
    [2, 40001],
  ] as const) {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      it(`agrees within 1e-6 for ${rows}×${C} logits with extremes and specials, reduction ${reduction}`, () => {
        const { input, target } = sweepCase(rows * 7 + C, rows, C, true);
        const rnd = seededRandom(C);
        const upstream =
          reduction === 'none'
            ? { data: Float32Array.from({ length: rows }, () => rnd() * 2 - 0.5), shape: [rows] }
            : 1.75;
        const r = evalBoth(
          KERNEL,
          'crossEntropy',
          { input, target: { data: target, shape: [rows] } },
          { reduction },
          { grad: true, upstream },
        );
        expect(r.calls).toBeGreaterThan(0);
        expect(worstOf(r, ['input'])).toBeLessThan(TOL);
        if (reduction !== 'none') {
          // The reduced value stays float64: the per-row exps (relative error < 1e-14) and the
          // order of the Σexp additions move each row loss by a few 1e-16 relative, far below 1e-12.
          expect(worstRelative([r.fast.value as number], [r.js.value as number])).toBeLessThan(
            1e-12,
          );
        }
      });
    }
  }

  it('gives NaN for a row holding NaN or +Infinity and Infinity for a −Infinity target logit, as the JavaScript kernel', () => {
    // Row 0: a NaN logit (skipped by the max, propagates through Σexp); row 1: +Infinity
    // (∞ − ∞ = NaN); row 2: the target logit is −Infinity (loss +∞, gradient −c at the target);
    // row 3: every logit −Infinity (NaN).
    const x = Float32Array.from([
      1,
      NaN,
      2,
      0,
      1,
      Infinity,
      0,
      0,
      -Infinity,
      1,
      2,
      3,
      ...[-Infinity, -Infinity, -Infinity, -Infinity],
    ]);
    const r = evalBoth(
      KERNEL,
      'crossEntropy',
      { input: { data: x, shape: [4, 4] }, target: Int32Array.of(0, 1, 0, 2) },
      { reduction: 'none' },
      { grad: true },
    );
    expect(r.calls).toBe(1);
    const v = (r.fast.value as { data: Float32Array }).data;
    expect([Number.isNaN(v[0]), Number.isNaN(v[1]), v[2], Number.isNaN(v[3])]).toEqual([
      true,
      true,
      Infinity,
      true,
    ]);
    expect(worstOf(r, ['input'])).toBe(0);
  });

  it('computes the shifted exps as Math.exp does within 1e-14: ln(1 + e^−d) for d in [0, 4]', () => {
    // One row (0, −d) with target 0 has loss ln(1 + e^−d) (the max is 0). d in [0, 4] runs the
    // reduced argument r over all of [−ln2/2, ln2/2] (larger d only changes the exact power of 2).
    // An exp error δ moves the loss by at most δ·e^−d; 1 + e^−d is one rounded addition in both
    // paths and may round to neighbouring doubles, moving the loss by up to 1 ulp of 1 + e^−d
    // (≤ 2^−52·2 = 4.5e-16 absolute). Allowance: 2e-14·e^−d + 4.5e-16.
    let calls = 0;
    for (let k = 0; k <= 4000; k++) {
      const d = Math.fround(k * 0.001);
      const inputs = {
        input: { data: Float32Array.of(0, -d), shape: [1, 2] },
        target: Int32Array.of(0),
      };
      const r = evalBoth(KERNEL, 'crossEntropy', inputs, { reduction: 'sum' });
      calls += r.calls;
      const diff = Math.abs((r.fast.value as number) - (r.js.value as number));
      expect(diff).toBeLessThanOrEqual(2e-14 * Math.exp(-d) + 4.5e-16);
    }
    expect(calls).toBe(4001);
  });

  it('treats an ignoreIndex naming a real class as ignored rows with zero gradient', () => {
    const { input, target } = sweepCase(5, 40, 9, false);
    const r = evalBoth(
      KERNEL,
      'crossEntropy',
      { input, target: { data: target.map((t) => Math.abs(t) % 9), shape: [40] } },
      { ignoreIndex: 4 },
      { grad: true },
    );
    expect(r.calls).toBeGreaterThan(0);
    expect(worstOf(r, ['input'])).toBeLessThan(TOL);
    const g = r.fast.grads!.input.data;
    const t = target.map((v) => Math.abs(v) % 9);
    for (let k = 0; k < 40; k++) {
      if (t[k] === 4)
        expect(Array.from(g.subarray(k * 9, k * 9 + 9))).toEqual(new Array(9).fill(0));
    }
  });

  it('keeps float64 logits on the JavaScript kernel', () => {
    const { input, target } = sweepCase(2, 10, 5, false);
    const r = evalBoth(
      KERNEL,
      'crossEntropy',
      { input: { data: Float64Array.from(input.data), shape: input.shape }, target },
      {},
      { grad: true },
    );
    expect(r.calls).toBe(0);
    expect(r.fast).toEqual(r.js);
  });
});

describe('crossEntropy fast path in losskit memory', () => {
  function zeroCopy(rows: number, C: number, seed: number): void {
    const { input, target } = sweepCase(seed, rows, C, true);
    const xt = wasmTensor(rows * C);
    const gt = wasmTensor(rows * C);
    const st = wasmTensor(rows);
    try {
      xt.array.set(input.data);
      const rnd = seededRandom(seed + 1);
      for (let k = 0; k < rows; k++) st.array[k] = rnd();
      const old = setWasmMinSize(0);
      try {
        const inputs = { input: { data: xt.array, shape: [rows, C] }, target };
        const direct = evaluate(
          'crossEntropy',
          inputs,
          { reduction: 'none' },
          {
            grad: true,
            upstream: { data: st.array, shape: [rows] },
            into: { input: gt.array },
          },
        );
        const staged = evaluate(
          'crossEntropy',
          { input: { data: Float32Array.from(xt.array), shape: [rows, C] }, target },
          { reduction: 'none' },
          { grad: true, upstream: { data: Float32Array.from(st.array), shape: [rows] } },
        );
        expect(Array.from((direct.value as { data: Float32Array }).data)).toEqual(
          Array.from((staged.value as { data: Float32Array }).data),
        );
        expect(Array.from(direct.grads!.input.data)).toEqual(Array.from(staged.grads!.input.data));
        const mean = evaluate(
          'crossEntropy',
          inputs,
          {},
          { grad: true, into: { input: gt.array } },
        );
        const meanStaged = evaluate(
          'crossEntropy',
          { input: { data: Float32Array.from(xt.array), shape: [rows, C] }, target },
          {},
          { grad: true },
        );
        expect(mean.value).toBe(meanStaged.value);
        expect(Array.from(mean.grads!.input.data)).toEqual(
          Array.from(meanStaged.grads!.input.data),
        );
      } finally {
        setWasmMinSize(old);
      }
    } finally {
      xt.free();
      gt.free();
      st.free();
    }
  }

  it('equals the staged path bit for bit with wasmTensor logits, seed and gradient', () => {
    zeroCopy(333, 29, 3);
  });

  it('equals the staged path bit for bit over more rows than one direct call takes', () => {
    zeroCopy(4100, 3, 4);
  });

  it('equals the staged path bit for bit split over two threads', async () => {
    const threads = await setWasmThreads(2);
    try {
      expect(threads).toBe(2);
      zeroCopy(1100, 130, 5);
    } finally {
      await setWasmThreads(1);
    }
  });
});

describe('worstRelative', () => {
  it('fails on a NaN in one result only, and measures relative error otherwise', () => {
    expect(() => worstRelative([NaN], [1])).toThrow();
    expect(worstRelative([1, 2.5], [1, 2])).toBe(0.25);
  });
});
