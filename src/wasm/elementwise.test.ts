import { afterAll, describe, expect, it } from 'vitest';
import type { Tensor } from '../core/tensor.js';
import { evaluate } from '../registry.js';
import {
  compareFast,
  FAST_RTOL,
  fastGoldenTests,
  withWasm,
  worstRelError,
} from '../test-support/wasm.js';
import { getRuntime, SCRATCH, THREAD_MIN, wasmStatus } from './runtime.js';
import { wasmTensor } from './tensor.js';
import { setWasmThreads } from './threads.js';

/** A seeded uniform generator (LCG; the tests need reproducible data, not statistics). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Scalar weights only: a per-element weight tensor keeps the JavaScript path. */
function scalarWeights(o: Record<string, unknown>): boolean {
  for (const k of ['weight', 'posWeight']) {
    const v = o[k] as Tensor | number[] | number | undefined;
    if (v === undefined || typeof v === 'number') continue;
    const n = Array.isArray(v) ? v.flat(8).length : v.data.length;
    if (n !== 1) return false;
  }
  return true;
}

describe('the WebAssembly module', () => {
  it('is available on this Node with shared memory', () => {
    const s = wasmStatus();
    expect(s.available).toBe(true);
    expect(s.enabled).toBe(true);
    expect(s.shared).toBe(true);
  });
});

describe('elementwise fast paths on the golden cases', () => {
  describe('mse', () => fastGoldenTests('mse'));
  describe('l1', () => fastGoldenTests('l1'));
  describe('huber', () => fastGoldenTests('huber'));
  describe('smoothL1', () =>
    fastGoldenTests('smoothL1', 'smoothL1', (o) => o.beta === undefined || (o.beta as number) > 0));
  describe('logCosh', () => fastGoldenTests('logCosh'));
  describe('bceWithLogits', () => fastGoldenTests('bceWithLogits', 'bceWithLogits', scalarWeights));
  describe('bce', () => fastGoldenTests('bce', 'bce', scalarWeights));
  describe('sigmoidFocal', () => fastGoldenTests('sigmoidFocal'));
  describe('mape', () => fastGoldenTests('mape'));
  describe('msle', () => fastGoldenTests('msle'));
  describe('poissonNll', () => fastGoldenTests('poissonNll', 'poissonNll', (o) => o.full !== true));
  describe('softMargin', () => fastGoldenTests('softMargin'));
  describe('hinge', () => fastGoldenTests('hinge'));
  describe('squaredHinge', () => fastGoldenTests('squaredHinge'));
  describe('klDiv', () => fastGoldenTests('klDiv'));
});

/** Inputs of n elements: regression residuals, logits, probabilities and targets with extremes. */
function sweep(n: number, seed: number) {
  const r = rng(seed);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const logits = new Float32Array(n);
  const probs = new Float32Array(n);
  const labels = new Float32Array(n);
  const soft = new Float32Array(n);
  const scales = [1e-30, 1e-6, 1e-3, 0.5, 1, 3, 30, 1e3, 1e6, 1e30];
  for (let i = 0; i < n; i++) {
    const s = scales[Math.floor(r() * scales.length)];
    x[i] = (r() - 0.5) * s;
    y[i] = (r() - 0.5) * scales[Math.floor(r() * scales.length)];
    logits[i] = (r() - 0.5) * [0.01, 2, 20, 200, 2000][Math.floor(r() * 5)];
    probs[i] = [0, 1, r(), r() * 1e-7, 1 - r() * 1e-7][Math.floor(r() * 5)];
    labels[i] = r() < 0.5 ? 0 : 1;
    soft[i] = r();
  }
  // Special values where the JavaScript path defines a result.
  x[3] = NaN;
  x[7] = Infinity;
  y[11] = -Infinity;
  logits[5] = Infinity;
  logits[6] = -Infinity;
  logits[9] = NaN;
  return { x, y, logits, probs, labels, soft };
}

describe('elementwise fast paths on a seeded sweep with extremes', () => {
  // 5003 elements: a tail of 3 after the groups of four, and a partial last block of 256.
  const d = sweep(5003, 42);
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['mse', { input: d.x, target: d.y }, {}],
    ['l1', { input: d.x, target: d.y }, {}],
    ['huber', { input: d.x, target: d.y }, { delta: 0.7 }],
    ['smoothL1', { input: d.x, target: d.y }, { beta: 2 }],
    ['logCosh', { input: d.x, target: d.y }, {}],
    ['bceWithLogits', { input: d.logits, target: d.labels }, {}],
    ['bceWithLogits', { input: d.logits, target: d.soft }, { posWeight: 3, labelSmoothing: 0.1 }],
    ['bce', { input: d.probs, target: d.soft }, {}],
    ['sigmoidFocal', { input: d.logits, target: d.labels }, {}],
    ['sigmoidFocal', { input: d.logits, target: d.soft }, { alpha: 0.25, gamma: 0.5 }],
    ['sigmoidFocal', { input: d.logits, target: d.labels }, { alpha: -1, gamma: 0 }],
    ['mape', { input: d.x, target: d.y }, {}],
    ['msle', { input: d.probs, target: d.soft }, {}],
    ['poissonNll', { input: d.logits, target: d.soft }, {}],
    ['poissonNll', { input: d.probs, target: d.soft }, { logInput: false }],
    ['softMargin', { input: d.logits, target: d.labels.map((v) => 2 * v - 1) }, {}],
    ['hinge', { input: d.x, target: d.labels }, {}],
    ['squaredHinge', { input: d.x, target: d.soft }, {}],
    ['klDiv', { input: d.logits.map((v) => -Math.abs(v)), target: d.probs }, {}],
    ['klDiv', { input: d.x, target: d.logits }, { logTarget: true }],
  ];
  for (const [id, inputs, options] of cases) {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      it(`${id} ${JSON.stringify(options)} '${reduction}' agrees with JavaScript`, () => {
        expect(compareFast(id, inputs, { ...options, reduction })).toBeLessThan(FAST_RTOL);
      });
    }
    it(`${id} ${JSON.stringify(options)} with an upstream tensor agrees with JavaScript`, () => {
      const up = Float32Array.from({ length: 5003 }, (_, i) => ((i % 7) - 3) / 2);
      const upstream = { data: up, shape: [5003] };
      expect(compareFast(id, inputs, { ...options, reduction: 'none' }, upstream)).toBeLessThan(
        FAST_RTOL,
      );
    });
  }
});

describe('zero-copy tensors', () => {
  const n = 3 * SCRATCH + 17;
  const d = sweep(n, 7);
  it('give the staged path bit for bit, several scratch chunks long', () => {
    const staged = withWasm(true, () =>
      evaluate('bceWithLogits', { input: d.logits, target: d.soft }, {}, { grad: true }),
    );
    const tx = wasmTensor(n);
    const ty = wasmTensor(n);
    const tg = wasmTensor(n);
    tx.array.set(d.logits);
    ty.array.set(d.soft);
    tg.array.fill(NaN);
    const direct = withWasm(true, () =>
      evaluate(
        'bceWithLogits',
        { input: tx.array, target: ty.array },
        {},
        { grad: true, into: { input: tg.array } },
      ),
    );
    expect(direct.value).toBe(staged.value);
    expect(Array.from(tg.array)).toEqual(Array.from(staged.grads!.input.data));
    expect(direct.grads!.input.data).toBe(tg.array);
    for (const t of [tx, ty, tg]) t.free();
  });
  it('survive memory growth: a view and its values stay valid after a large allocation', () => {
    const t = wasmTensor(1000);
    t.array.set(d.x.subarray(0, 1000));
    const before = wasmStatus().memoryBytes;
    const big = wasmTensor(16 * 1024 * 1024);
    expect(wasmStatus().memoryBytes).toBeGreaterThan(before);
    expect(Array.from(t.array)).toEqual(Array.from(d.x.subarray(0, 1000)));
    big.free();
    t.free();
  });
  it('reuse freed memory (the allocator coalesces and gives the top back)', () => {
    const rt = getRuntime()!;
    const used = rt.heap.used;
    const ts = [wasmTensor(5000), wasmTensor(7000), wasmTensor(3000)];
    ts[1].free();
    ts[0].free();
    ts[2].free();
    expect(rt.heap.used).toBe(used);
  });
  it('are not accepted as overlapping into buffers, while disjoint views of one memory are', () => {
    const t = wasmTensor(100);
    const a = t.array.subarray(0, 50);
    const b = t.array.subarray(50, 100);
    const y = new Float32Array(50);
    expect(() =>
      evaluate('mse', { input: a, target: y }, {}, { grad: true, into: { input: b } }),
    ).not.toThrow();
    expect(() =>
      evaluate(
        'mse',
        { input: a, target: y },
        {},
        { grad: true, into: { input: t.array.subarray(25, 75) } },
      ),
    ).toThrow(/shares no memory/);
    t.free();
  });
  it('reject a negative length with a LossError', () => {
    expect(() => wasmTensor(-1)).toThrow(/wasmTensor: 'length' must be a non-negative integer/);
  });
});

describe('threads', () => {
  afterAll(async () => {
    await setWasmThreads(1);
  });
  it('split a zero-copy call over two threads with results bit-identical to one thread', async () => {
    const n = 2 * THREAD_MIN + 1001;
    const d = sweep(n, 9);
    const tx = wasmTensor(n);
    const ty = wasmTensor(n);
    const g1 = wasmTensor(n);
    const g2 = wasmTensor(n);
    tx.array.set(d.logits);
    ty.array.set(d.labels);
    const run = (g: Float32Array) =>
      evaluate(
        'sigmoidFocal',
        { input: tx.array, target: ty.array },
        {},
        { grad: true, into: { input: g } },
      ).value;
    const one = run(g1.array);
    expect(await setWasmThreads(2)).toBe(2);
    expect(wasmStatus().threads).toBe(2);
    const two = run(g2.array);
    expect(two).toBe(one);
    expect(worstRelError(g1.array, g2.array)).toBe(0);
    expect(Array.from(g2.array)).toEqual(Array.from(g1.array));
    for (const t of [tx, ty, g1, g2]) t.free();
  });
  it('restart after being stopped (workers from a stopped pool do not linger)', async () => {
    const n = THREAD_MIN + 333;
    const d = sweep(n, 11);
    const tx = wasmTensor(n);
    const ty = wasmTensor(n);
    tx.array.set(d.x);
    ty.array.set(d.y);
    const run = () =>
      evaluate('huber', { input: tx.array, target: ty.array }, {}, { grad: false }).value;
    await setWasmThreads(1);
    const one = run();
    for (let k = 0; k < 3; k++) {
      expect(await setWasmThreads(2)).toBe(2);
      expect(run()).toBe(one);
      expect(await setWasmThreads(1)).toBe(1);
    }
    tx.free();
    ty.free();
  });
  it('reject a thread count outside 1..64 with a LossError', async () => {
    await expect(setWasmThreads(0)).rejects.toThrow(/setWasmThreads: 'n' must be an integer/);
  });
});
