/**
 * The kernel contract seen from the outside: dtype-native inputs and outputs, caller-owned buffers
 * of either float dtype, int64 data, own-key option lookups, the typed return of a reduced loss,
 * and the core pieces the families build on (layouts, argsort, logSumExp, block summation).
 */
import { describe, expect, it } from 'vitest';
import { huber } from '../losses/regression/huber.js';
import { mse } from '../losses/regression/mse.js';
import { evaluate } from '../registry.js';
import { expectLossError } from '../test-support/check.js';
import { addBoxGrad, argsortStable, boxToXyxy, sequenceLayout } from './layout.js';
import { CompensatedSum, logSumExp, SUM_BLOCK } from './numerics.js';
import type { FloatArray, Tensor } from './tensor.js';
import { toTensor } from './tensor.js';

describe('dtype-native kernels', () => {
  it('returns float32 gradients and none outputs for float32 inputs, float64 for float64', () => {
    const x32 = new Float32Array([0.5, -1.25, 3]);
    const y32 = new Float32Array([0, 0, 1]);
    const r32 = mse.valueAndGrad(x32, y32, { reduction: 'none' });
    expect(r32.value.data).toBeInstanceOf(Float32Array);
    expect(r32.grads.input.data).toBeInstanceOf(Float32Array);
    const r64 = mse.valueAndGrad(Float64Array.from(x32), Float64Array.from(y32));
    expect(r64.grads.input.data).toBeInstanceOf(Float64Array);
    // (0.5² + 1.25² + 2²)/3 = (0.25 + 1.5625 + 4)/3, exact in binary up to the final division.
    expect(r64.value).toBe((0.25 + 1.5625 + 4) / 3);
  });

  it('reads float32 data without copying it: the gradient buffer is the only allocation', () => {
    const x = new Float32Array([1, 2]);
    const before = x.slice();
    const g = new Float32Array(2);
    const res = mse.valueAndGrad(x, new Float32Array([0, 0]), {}, { into: { input: g } });
    expect(res.grads.input.data).toBe(g);
    // d/dx mean((x − 0)²) = x (2·x/2): [1, 2]
    expect(Array.from(g)).toEqual([1, 2]);
    expect(Array.from(x)).toEqual(Array.from(before));
  });

  it('accepts into buffers of either float dtype and rejects other arrays with E_TYPE', () => {
    const x = new Float32Array([1, 2]);
    const y = new Float32Array([0, 0]);
    const g64 = new Float64Array(2);
    expect(mse.valueAndGrad(x, y, {}, { into: { input: g64 } }).grads.input.data).toBe(g64);
    expectLossError(
      () =>
        mse.valueAndGrad(x, y, {}, { into: { input: new Int32Array(2) as unknown as FloatArray } }),
      'E_TYPE',
      ["'into.input'", 'Float32Array or Float64Array of length 2'],
    );
    expectLossError(
      () => mse.valueAndGrad(x, y, {}, { into: { input: new Float32Array(3) } }),
      'E_TYPE',
      ["'into.input'", 'length 2'],
    );
  });

  it('mixes float32 and float64 inputs, each gradient in its own input dtype', () => {
    const r = mse.valueAndGrad(new Float64Array([1, 2]), new Float32Array([0.5, 0.5]));
    expect(r.grads.input.data).toBeInstanceOf(Float64Array);
    // d/dx mean((x − y)²) = (x − y): [0.5, 1.5]
    expect(Array.from(r.grads.input.data)).toEqual([0.5, 1.5]);
  });

  it('types a reduced value as a number and a none value as a tensor', () => {
    // Compile-time checks (tsc runs over the tests): no cast needed in either direction.
    const v: number = mse([1, 2], [0, 0]);
    const w: number = huber([1, 2], [0, 0], { delta: 0.5, reduction: 'sum' });
    const t: Tensor<FloatArray> = mse([1, 2], [0, 0], { reduction: 'none' });
    const g: number = mse.valueAndGrad([1], [0]).value;
    expect(v).toBe(2.5);
    // huber δ=0.5, residuals 1 and 2 are linear: 0.5·(1 − 0.25) + 0.5·(2 − 0.25) = 0.375 + 0.875
    expect(w).toBe(1.25);
    expect(Array.from(t.data)).toEqual([1, 4]);
    expect(g).toBe(1);
  });
});

describe('int64 data (BigInt64Array, what NumPy and PyTorch save labels as)', () => {
  it('converts int64 data that fits in int32 to an Int32Array', () => {
    const t = toTensor({ data: new BigInt64Array([0n, 2n, -100n]), shape: [3] }, 'x', 'target');
    expect(t.data).toBeInstanceOf(Int32Array);
    expect(Array.from(t.data)).toEqual([0, 2, -100]);
  });

  it('converts larger int64 values within 2^53 exactly to float64', () => {
    const t = toTensor(new BigInt64Array([3000000000n, -(2n ** 53n)]), 'x', 'input');
    expect(t.data).toBeInstanceOf(Float64Array);
    expect(Array.from(t.data)).toEqual([3000000000, -(2 ** 53)]);
  });

  it('rejects int64 values beyond 2^53 with E_RANGE naming the position', () => {
    expectLossError(
      () => toTensor(new BigUint64Array([1n, 2n ** 60n]), 'mse', 'input'),
      'E_RANGE',
      ['mse', "'input'", '±2^53', String(2n ** 60n), 'flat position 1'],
    );
  });

  it('computes a loss with int64 targets as with the same numbers', () => {
    const a = mse(new Float64Array([1, 2]), new BigInt64Array([1n, 4n]));
    expect(a).toBe(mse([1, 2], [1, 4]));
  });

  it('reads int64 tensor options (posWeight, weight) and uint64 targets as the same numbers', () => {
    const x = { input: [0.5, -1], target: [1, 0] };
    expect(evaluate('bceWithLogits', x, { posWeight: new BigUint64Array([2n, 3n]) }).value).toBe(
      evaluate('bceWithLogits', x, { posWeight: [2, 3] }).value,
    );
    const ce = evaluate(
      'crossEntropy',
      { input: [[1, 2]], target: new BigUint64Array([1n]) },
      { weight: new BigInt64Array([1n, 2n]) },
    ).value;
    expect(ce).toBe(
      evaluate('crossEntropy', { input: [[1, 2]], target: [1] }, { weight: [1, 2] }).value,
    );
  });
});

describe('own-key option lookups', () => {
  for (const key of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__']) {
    it(`rejects '${key}' given as an own key (as JSON.parse makes it) with E_OPTION`, () => {
      const opts = JSON.parse(`{"${key}": 1}`) as Record<string, unknown>;
      expectLossError(() => huber([1], [0], opts), 'E_OPTION', ['huber', `'${key}'`]);
    });
  }

  it('does not take inherited members for options: huber([1],[0],{}) uses delta = 1', () => {
    // 0.5·1² = 0.5 at |d| = 1 = delta (both branches agree there)
    expect(huber([1], [0], Object.create({ delta: 5 }) as object)).toBe(0.5);
  });

  it('reads options from a Map as from an object', () => {
    const viaMap = huber([3], [0], new Map([['delta', 2]]) as never);
    // δ(|d| − δ/2) = 2·(3 − 1) = 4
    expect(viaMap).toBe(4);
    expectLossError(() => huber([3], [0], new Map([['detla', 2]]) as never), 'E_OPTION', [
      "'detla'",
      "Did you mean 'delta'?",
    ]);
  });

  it('accepts null as the fourth argument of evaluate', () => {
    expect(evaluate('mse', { input: [1], target: [0] }, null, null).value).toBe(1);
  });

  it('treats an input named constructor as unknown', () => {
    const inputs = JSON.parse('{"input":[1],"target":[0],"constructor":[1]}') as Record<
      string,
      unknown
    >;
    expectLossError(() => evaluate('mse', inputs), 'E_INPUT', ["unknown input 'constructor'"]);
  });
});

describe('block summation', () => {
  it('sums 10^6 copies of 0.1 to within (SUM_BLOCK + 1)·u of the exact sum', () => {
    // Every term is the double nearest 0.1, d = 0.1000000000000000055511151231257827...; the exact
    // sum is 10^6·d = 100000.0000000000055511151231257827. Bound: (SUM_BLOCK + 1)·2^−53·Σ|l|.
    const n = 1_000_000;
    const x = new Float64Array(n).fill(0.1);
    const sq = mse(x, new Float64Array(n), { reduction: 'sum' }); // Σ 0.1² (each rounded): ≈ 10^4
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      let s = 0;
      for (let i = b; i < Math.min(n, b + SUM_BLOCK); i++) s += x[i];
      acc.add(s);
    }
    // exact = 10^6·d rounds to the double 100000 (the excess 5.55e-12 is below half an ulp, 7.3e-12).
    const exact = 100000;
    expect(Math.abs(acc.value() - exact)).toBeLessThanOrEqual((SUM_BLOCK + 1) * 2 ** -53 * exact);
    // 0.1·0.1 rounds to 0.010000000000000002 (the double above 0.01): the exact sum of 10^6 copies
    // is 10000.000000000002 (to double precision).
    expect(Math.abs(sq - 10000.000000000002)).toBeLessThanOrEqual(
      (SUM_BLOCK + 1) * 2 ** -53 * 10000,
    );
  });
});

describe('core layouts and primitives', () => {
  it('argsorts stably, ties in original order, NaN as the largest value', () => {
    const v = new Float64Array([3, 1, NaN, 3, 2, 1]);
    const asc = Array.from(argsortStable(v, 0, 1, 6, false, new Int32Array(6)));
    expect(asc).toEqual([1, 5, 4, 0, 3, 2]);
    const desc = Array.from(argsortStable(v, 0, 1, 6, true, new Int32Array(6)));
    expect(desc).toEqual([2, 0, 3, 4, 1, 5]);
  });

  it('argsorts a strided view (a column of a row-major matrix)', () => {
    const m = new Float32Array([5, 0, 1, 0, 3, 0]); // column 0 of a (3, 2) matrix: 5, 1, 3
    expect(Array.from(argsortStable(m, 0, 2, 3, false, new Int32Array(3)))).toEqual([1, 2, 0]);
  });

  it('computes logSumExp with one NaN rule', () => {
    const lse = (a: number[]): number => logSumExp(Float64Array.from(a), 0, 1, a.length);
    expect(lse([0, 0])).toBe(Math.LN2);
    expect(lse([-Infinity, -Infinity])).toBe(-Infinity);
    expect(lse([Infinity, 0])).toBe(Infinity);
    expect(lse([NaN, 0])).toBeNaN();
    expect(lse([Infinity, NaN])).toBeNaN();
    expect(lse([])).toBe(-Infinity);
    // shift by the max: log(e^1000 + e^1000) = 1000 + ln 2
    expect(lse([1000, 1000])).toBe(1000 + Math.LN2);
  });

  it('converts boxes to corners and chains gradients back for every format', () => {
    const out = new Float64Array(4);
    boxToXyxy(new Float64Array([1, 2, 4, 6]), 0, 'xywh', out);
    expect(Array.from(out)).toEqual([1, 2, 5, 8]);
    boxToXyxy(new Float64Array([3, 5, 4, 6]), 0, 'cxcywh', out);
    expect(Array.from(out)).toEqual([1, 2, 5, 8]);
    // d/d(cx, cy, w, h) of (x1 + 2·y1 + 3·x2 + 4·y2): x1 = cx − w/2, x2 = cx + w/2, ...
    // → (1 + 3, 2 + 4, (3 − 1)/2, (4 − 2)/2) = (4, 6, 1, 1)
    const g = new Float64Array(4);
    addBoxGrad(g, 0, 'cxcywh', 1, 2, 3, 4);
    expect(Array.from(g)).toEqual([4, 6, 1, 1]);
    g.fill(0);
    addBoxGrad(g, 0, 'xywh', 1, 2, 3, 4); // x2 = x + w: (1 + 3, 2 + 4, 3, 4)
    expect(Array.from(g)).toEqual([4, 6, 3, 4]);
  });

  it('lays out time-major and batch-first sequences', () => {
    const t = { data: new Float64Array(24), shape: [2, 3, 4] };
    expect(sequenceLayout('ctc', 'logProbs', t, false)).toEqual({
      steps: 2,
      batch: 3,
      features: 4,
      tStride: 12,
      nStride: 4,
    });
    expect(sequenceLayout('crf', 'emissions', t, true)).toEqual({
      steps: 3,
      batch: 2,
      features: 4,
      tStride: 4,
      nStride: 12,
    });
    expectLossError(
      () => sequenceLayout('ctc', 'logProbs', { data: new Float64Array(2), shape: [2] }, false),
      'E_SHAPE',
      ['ctc', "'logProbs'", '(T, N, C)'],
    );
  });
});

describe('hostile tensors', () => {
  it('flattens nested arrays 10,000 levels deep without recursion', () => {
    let deep: unknown = [2];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const t = toTensor(deep, 'mse', 'input');
    expect(t.shape.length).toBe(10_001);
    expect(Array.from(t.data)).toEqual([2]);
  });

  it('names the ragged position of a nested array', () => {
    expectLossError(() => toTensor([[1, 2], [3]], 'mse', 'input'), 'E_SHAPE', [
      "input 'input'[1]",
      'an array of length 2',
      'Received: [3]',
    ]);
    expectLossError(
      () =>
        toTensor(
          [
            [1, 2],
            [3, 'a'],
          ],
          'mse',
          'input',
        ),
      'E_TYPE',
      ["input 'input'[1][1]", 'Received: "a"'],
    );
  });

  it('keeps error messages short for huge ranks, long strings and long arrays', () => {
    const shape = new Array<number>(100_000).fill(1);
    let msg = '';
    try {
      mse({ data: new Float64Array(1), shape }, [1, 2]);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain('rank 100000');
    expect(msg.length).toBeLessThan(400);
    let msg2 = '';
    try {
      huber([1], [0], { delta: 'x'.repeat(100_000) } as never);
    } catch (e) {
      msg2 = (e as Error).message;
    }
    expect(msg2).toContain('100000 characters');
    expect(msg2.length).toBeLessThan(400);
  });

  it('points a TensorFlow.js tensor to losskit/tfjs', () => {
    const fake = { shape: [2], dtype: 'float32', data: async () => [1, 2], dataSync: () => [1, 2] };
    expectLossError(() => mse(fake as never, [0, 0]), 'E_TYPE', [
      "input 'input'",
      'losskit/tfjs',
      'a tf.Tensor of shape [2]',
    ]);
  });

  it('says what went wrong when a function is passed where data belongs', () => {
    expectLossError(() => mse((() => [1]) as never, [0]), 'E_TYPE', ['not a function']);
  });
});
