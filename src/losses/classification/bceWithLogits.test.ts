import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { bceWithLogits } from './bceWithLogits.js';

describe('bceWithLogits', () => {
  describe('golden values (torch.nn.functional.binary_cross_entropy_with_logits)', () => {
    goldenTests('bceWithLogits');
  });

  describe('gradients', () => {
    it('matches central finite differences with weight, posWeight and label smoothing', () => {
      const input = tensorOf([2, 3], (i) => Math.sin(i + 1) * 3);
      const target = tensorOf([2, 3], (i) => (i % 3 === 0 ? 1 : i % 3 === 1 ? 0 : 0.4));
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD('bceWithLogits', { input, target }, { reduction });
        checkGradFD(
          'bceWithLogits',
          { input, target },
          { reduction, weight: [[2], [0.5]], posWeight: [1, 3, 0.25], labelSmoothing: 0.2 },
        );
      }
    });
    it('is the fused σ(x) − y, without chaining through log σ', () => {
      // d/dx softplus(−x) at y = 1 is −σ(−x); at x = −40, σ(40) rounds to 1 exactly.
      const { grads } = bceWithLogits.valueAndGrad([-40, 40], [1, 0], { reduction: 'sum' });
      expect(Array.from(grads.input.data)).toEqual([-1, 1]);
    });
  });

  describe('identities', () => {
    it('equals log 2 at a logit of 0 for any target', () => {
      expectClose(bceWithLogits([0, 0, 0], [0, 1, 0.3]) as number, Math.LN2);
    });
    it('treats posWeight = 1 like no posWeight and a number like a full tensor, bit for bit', () => {
      const x = [1.5, -0.3, 2.2];
      const y = [1, 0, 1];
      expect(bceWithLogits(x, y, { posWeight: 1 })).toBe(bceWithLogits(x, y));
      // A single value is kept as a number, a tensor is broadcast: the same products either way.
      for (const reduction of ['mean', 'none'] as const) {
        const a = bceWithLogits.valueAndGrad(x, y, { posWeight: 2.5, weight: 0.75, reduction });
        const b = bceWithLogits.valueAndGrad(x, y, {
          posWeight: [2.5, 2.5, 2.5],
          weight: [0.75, 0.75, 0.75],
          reduction,
        });
        expect(a.value).toEqual(b.value);
        expect(a.grads.input.data).toEqual(b.grads.input.data);
      }
    });
    it('gives sum = n · mean', () => {
      const x = [0.5, -1.25, 3, 7];
      const y = [1, 0, 0, 1];
      expectClose(
        bceWithLogits(x, y, { reduction: 'sum' }) as number,
        4 * (bceWithLogits(x, y) as number),
      );
    });
  });

  describe('reductions and weights', () => {
    it('keeps an absent or single-value weight and posWeight as numbers, never N copies', () => {
      const input = { data: new Float64Array(6), shape: [2, 3] };
      const opts = (weight: unknown, posWeight: unknown): never =>
        ({ weight, posWeight, labelSmoothing: 0, reduction: 'mean' }) as never;
      const prepare = (weight: unknown, posWeight: unknown) =>
        bceWithLogits.kernels.prepare({ input, target: input }, opts(weight, posWeight), 'id');
      expect(prepare(null, null).w).toEqual({ data: null, value: 1 });
      const one = prepare(
        { data: Float64Array.of(2), shape: [] },
        { data: Float64Array.of(3), shape: [1, 1] },
      );
      expect(one.w).toEqual({ data: null, value: 2 });
      expect(one.pw).toEqual({ data: null, value: 3 });
      const row = prepare(null, { data: Float64Array.of(1, 2, 3), shape: [3] });
      expect(Array.from(row.pw.data ?? [])).toEqual([1, 2, 3, 1, 2, 3]);
    });
    it('weights the gradient like the value: w·(σ(x) − y) at a logit of 0', () => {
      // d/dx of w·[p_w·y·softplus(−x) + (1 − y)·softplus(x)] at x = 0: w·((1 − y)/2 − p_w·y/2).
      const { grads } = bceWithLogits.valueAndGrad([0, 0], [1, 0], {
        weight: [2, 3],
        posWeight: 5,
        reduction: 'sum',
      });
      expect(Array.from(grads.input.data)).toEqual([2 * (-5 / 2), 3 * 0.5]);
    });
    it('applies posWeight along the last dim only to the positive term', () => {
      // y = 0 rows ignore posWeight; y = 1 rows scale softplus(−x) by it.
      const out = bceWithLogits(
        [
          [0, 0],
          [0, 0],
        ],
        [
          [0, 0],
          [1, 1],
        ],
        { posWeight: [2, 5], reduction: 'none' },
      ) as Tensor;
      const ln2 = Math.LN2;
      const want = [ln2, ln2, 2 * ln2, 5 * ln2];
      for (let i = 0; i < 4; i++) expectClose(out.data[i], want[i]);
    });
  });

  describe('edge cases', () => {
    it('stays finite for logits ±700 and costs 0 for ±∞ on the target’s side', () => {
      const v = bceWithLogits([700, -700], [0, 1], { reduction: 'none' }) as Tensor;
      expect(Array.from(v.data)).toEqual([700, 700]);
      const { value, grads } = bceWithLogits.valueAndGrad([Infinity, -Infinity], [1, 0]);
      expect(value).toBe(0);
      expect(Array.from(grads.input.data)).toEqual([0, 0]);
    });
    it('propagates NaN to value and gradient and costs ∞ for an infinite logit on the wrong side', () => {
      expect(bceWithLogits([NaN, 1], [0, 1])).toBeNaN();
      expect(bceWithLogits.valueAndGrad([NaN], [1]).grads.input.data[0]).toBeNaN();
      // softplus(∞) = ∞ with slope σ(∞) = 1; softplus(−(−∞)) = ∞ with slope −σ(∞) = −1.
      const { value, grads } = bceWithLogits.valueAndGrad([Infinity, -Infinity], [0, 1], {
        reduction: 'none',
      });
      expect(Array.from((value as Tensor).data)).toEqual([Infinity, Infinity]);
      expect(Array.from(grads.input.data)).toEqual([1, -1]);
    });
    it('gives σ(0) − y = ±1/2 at logits ±0 and ±5e-324, whichever sign is picked', () => {
      // exp(−|x|) rounds to 1 for every one of these logits, so σ(x) = σ(−x) = 1/2 exactly.
      const x = [0, -0, 5e-324, -5e-324];
      const { value, grads } = bceWithLogits.valueAndGrad(x, [1, 1, 0, 0], { reduction: 'none' });
      expect(Array.from((value as Tensor).data)).toEqual([Math.LN2, Math.LN2, Math.LN2, Math.LN2]);
      expect(Array.from(grads.input.data)).toEqual([-0.5, -0.5, 0.5, 0.5]);
    });
    it('computes the training path (mean, no upstream) and the general path bit for bit alike', () => {
      // The mean's gradient takes the branch-free loop; 'none' with an upstream of 1/n the general one.
      const n = 64;
      const input = tensorOf([n], (i) => (i % 2 === 0 ? 1 : -1) * Math.exp((i % 13) - 6));
      const target = tensorOf([n], (i) => [0, 1, 0.3][i % 3]);
      for (const f32 of [false, true]) {
        const x = f32 ? { data: Float32Array.from(input.data), shape: [n] } : input;
        const fast = bceWithLogits.valueAndGrad(x, target, { labelSmoothing: 0.1 });
        const general = bceWithLogits.valueAndGrad(
          x,
          target,
          { labelSmoothing: 0.1, reduction: 'none' },
          {
            upstream: { data: new Float64Array(n).fill(1 / n), shape: [n] },
          },
        );
        expect(fast.grads.input.data).toEqual(general.grads.input.data);
      }
    });
    it('gives 0 for empty input', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(bceWithLogits(empty, empty)).toBe(0);
    });
    it('keeps float32 output dtype for float32 input under none', () => {
      const out = bceWithLogits({ data: Float32Array.of(1.5, -2), shape: [2] }, [0, 1], {
        reduction: 'none',
      });
      expect(typeof out === 'object' && out.data instanceof Float32Array).toBe(true);
    });
  });

  describe('errors', () => {
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => bceWithLogits([1, 2], [1, 0, 1]), 'E_SHAPE', [
        'bceWithLogits',
        "'target'",
      ]);
    });
    it('rejects a posWeight that does not broadcast to the input (E_SHAPE)', () => {
      expectLossError(
        () => bceWithLogits([[1, 2, 3]], [[1, 0, 1]], { posWeight: [1, 2] }),
        'E_SHAPE',
        ['bceWithLogits', "'posWeight'", 'broadcasts to [1, 3]', '[2]'],
      );
    });
    it('rejects a string posWeight (E_OPTION)', () => {
      expectLossError(() => bceWithLogits([1], [1], { posWeight: 'high' as never }), 'E_OPTION', [
        "option 'posWeight'",
        'a number, a float tensor or null',
        'posWeight="high"',
      ]);
    });
    it('rejects a non-numeric input (E_TYPE)', () => {
      expectLossError(() => evaluate('bceWithLogits', { input: ['a'], target: [1] }), 'E_TYPE', [
        "'input'",
      ]);
    });
    it('rejects an unknown input (E_INPUT)', () => {
      expectLossError(
        () => evaluate('bceWithLogits', { input: [1], target: [1], logits: [1] }),
        'E_INPUT',
        ["unknown input 'logits'"],
      );
    });
  });
});
