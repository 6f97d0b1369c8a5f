import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../test-support/check.js';
import { decodeOptions, decodeTensor, loadGolden } from '../test-support/golden.js';
import { evalBoth, worstOf, worstRelative } from '../test-support/wasm.js';
import { evaluate } from '../registry.js';
import { setWasmMinSize } from './runtime.js';
import { wasmTensor } from './tensor.js';
import { setWasmThreads } from './threads.js';

// The overlap losses' float32 fast path in binary and multilabel mode (wasm/assembly/overlap.ts)
// against their JavaScript passes on the same float32 inputs. Both compute in float64; the fast path
// differs by vexp's relative error (< 1e-14, vmath.ts) and the order of additions inside each
// block of 256 pixels, so values and gradients must agree within 1e-6 relative, with the same NaN
// and ±Infinity positions.
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

for (const id of ['dice', 'jaccard', 'tversky', 'focalTversky']) {
  describe(`${id} fast path on the golden cases`, () => {
    const golden = loadGolden(id);
    for (const c of golden.cases) {
      if (c.error !== undefined) continue;
      it(`agrees with the JavaScript passes on '${c.name}' in float32`, () => {
        const options = decodeOptions(c.options);
        const multiclass = options.mode === 'multiclass';
        const input = f32(decodeTensor(c.inputs.input));
        const t = decodeTensor(c.inputs.target);
        // Binary and multilabel masks go through the fast path as float32 (integer masks too,
        // e.g. 0/1/255 with ignoreIndex 255); multiclass keeps int32 class indices.
        const target = multiclass ? t : f32(t);
        const upstream = typeof c.upstream === 'number' ? c.upstream : undefined;
        const stats = evalBoth('overlapStats', id, { input, target }, options, {
          grad: true,
          upstream,
        });
        if (multiclass) {
          expect(stats.calls).toBe(0);
          expect(stats.fast).toEqual(stats.js);
        } else {
          expect(stats.calls).toBeGreaterThan(0);
          expect(worstOf(stats, ['input'])).toBeLessThan(TOL);
          const grad = evalBoth('overlapGrad', id, { input, target }, options, { grad: true });
          expect(grad.calls).toBeGreaterThan(0);
        }
      });
    }
  });
}

/** Binary or multilabel logits (N, C, H, W) with extremes, and 0/1 masks (some pixels 255). */
function sweepCase(
  seed: number,
  shape: number[],
  opts: { specials: boolean; ignore: boolean },
): {
  input: { data: Float32Array; shape: number[] };
  target: { data: Float32Array; shape: number[] };
} {
  const rnd = seededRandom(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n);
  const t = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = rnd() * 2 - 1;
    const kind = rnd();
    x[i] = kind < 0.05 ? u * 100 : kind < 0.07 ? u * 1e30 : kind < 0.1 ? u * 1e-3 : u * 6;
    t[i] = rnd() < 0.3 ? 1 : 0;
    if (opts.ignore && rnd() < 0.05) t[i] = 255;
  }
  if (opts.specials) {
    x[3] = Infinity;
    x[n - 2] = -Infinity;
  }
  return { input: { data: x, shape }, target: { data: t, shape } };
}

describe('dice fast path on a seeded sweep', () => {
  const cases: [string, number[], Record<string, unknown>][] = [
    ['binary 3×1×37×41 (not a multiple of 4 or 256)', [3, 1, 37, 41], { mode: 'binary' }],
    ['binary 2×1×130×130 (chunks of the scratch area)', [2, 1, 130, 130], { mode: 'binary' }],
    [
      'binary per image with smooth and eps',
      [4, 1, 33, 35],
      { mode: 'binary', perImage: true, smooth: 1.5, eps: 1e-3 },
    ],
    ['binary with logLoss', [2, 1, 50, 51], { mode: 'binary', logLoss: true }],
    [
      'multilabel 2×3×40×45 with class weights',
      [2, 3, 40, 45],
      { mode: 'multilabel', classWeights: [1, 2, 0.5] },
    ],
    ['binary probabilities', [2, 1, 30, 30], { mode: 'binary', fromLogits: false, smooth: 0.5 }],
  ];
  for (const [title, shape, options] of cases) {
    for (const ignore of [false, true]) {
      it(`agrees within 1e-6 on ${title}${ignore ? ', ignoreIndex 255' : ''}`, () => {
        const probs = options.fromLogits === false;
        const { input, target } = sweepCase(shape.length * 31 + shape[2], shape, {
          specials: !probs,
          ignore,
        });
        if (probs)
          for (let i = 0; i < input.data.length; i++)
            input.data[i] = 1 / (1 + Math.exp(-input.data[i]));
        const r = evalBoth(
          'overlapStats',
          'dice',
          { input, target },
          ignore ? { ...options, ignoreIndex: 255 } : options,
          { grad: true, upstream: 0.75 },
        );
        expect(r.calls).toBeGreaterThan(0);
        expect(worstOf(r, ['input'])).toBeLessThan(TOL);
        // The value stays float64: the statistics differ by the sigmoid's exp (relative error
        // < 1e-14) and the order of additions inside each block, far below 1e-12 of the loss.
        expect(worstRelative([r.fast.value as number], [r.js.value as number])).toBeLessThan(1e-12);
      });
    }
  }

  it('propagates a NaN logit into the value and every gradient element, except at ignored pixels', () => {
    const { input, target } = sweepCase(9, [2, 1, 20, 20], { specials: false, ignore: false });
    input.data[17] = NaN;
    const r = evalBoth(
      'overlapStats',
      'dice',
      { input, target },
      { mode: 'binary' },
      { grad: true },
    );
    expect(Number.isNaN(r.fast.value as number)).toBe(true);
    expect(worstOf(r, ['input'])).toBe(0);
    target.data[17] = 255;
    const ig = evalBoth(
      'overlapStats',
      'dice',
      { input, target },
      { mode: 'binary', ignoreIndex: 255 },
      { grad: true },
    );
    expect(Number.isFinite(ig.fast.value as number)).toBe(true);
    expect(ig.fast.grads!.input.data[17]).toBe(0);
    expect(worstOf(ig, ['input'])).toBeLessThan(TOL);
  });

  it('keeps float64 logits and integer masks on the JavaScript passes', () => {
    const { input, target } = sweepCase(4, [1, 1, 10, 10], { specials: false, ignore: false });
    const a = evalBoth(
      'overlapStats',
      'dice',
      { input: { data: Float64Array.from(input.data), shape: input.shape }, target },
      { mode: 'binary' },
      { grad: true },
    );
    expect(a.calls).toBe(0);
    const b = evalBoth(
      'overlapStats',
      'dice',
      { input, target: { data: Int32Array.from(target.data), shape: target.shape } },
      { mode: 'binary' },
      { grad: true },
    );
    expect(b.calls).toBe(0);
    expect(b.fast).toEqual(b.js);
  });
});

describe('dice fast path in losskit memory', () => {
  function zeroCopy(shape: number[], seed: number, options: Record<string, unknown>): void {
    const { input, target } = sweepCase(seed, shape, { specials: true, ignore: true });
    const n = input.data.length;
    const xt = wasmTensor(n);
    const tt = wasmTensor(n);
    const gt = wasmTensor(n);
    try {
      xt.array.set(input.data);
      tt.array.set(target.data);
      const old = setWasmMinSize(0);
      try {
        const direct = evaluate(
          'dice',
          { input: { data: xt.array, shape }, target: { data: tt.array, shape } },
          options,
          { grad: true, into: { input: gt.array } },
        );
        const staged = evaluate('dice', { input, target }, options, { grad: true });
        expect(direct.value).toBe(staged.value);
        expect(Array.from(direct.grads!.input.data)).toEqual(Array.from(staged.grads!.input.data));
      } finally {
        setWasmMinSize(old);
      }
    } finally {
      xt.free();
      tt.free();
      gt.free();
    }
  }

  it('equals the staged path bit for bit with wasmTensor logits, mask and gradient', () => {
    zeroCopy([3, 1, 37, 41], 6, { mode: 'binary', ignoreIndex: 255 });
    zeroCopy([2, 3, 21, 19], 7, { mode: 'multilabel', perImage: true });
  });

  it('equals the staged path bit for bit split over two threads', async () => {
    const threads = await setWasmThreads(2);
    try {
      expect(threads).toBe(2);
      zeroCopy([2, 1, 400, 401], 8, { mode: 'binary', ignoreIndex: 255, smooth: 1 });
    } finally {
      await setWasmThreads(1);
    }
  });
});
