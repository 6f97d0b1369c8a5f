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
    it('treats posWeight = 1 like no posWeight and a number like a full tensor', () => {
      const x = [1.5, -0.3, 2.2];
      const y = [1, 0, 1];
      expect(bceWithLogits(x, y, { posWeight: 1 })).toBe(bceWithLogits(x, y));
      expectClose(
        bceWithLogits(x, y, { posWeight: 2.5 }) as number,
        bceWithLogits(x, y, { posWeight: [2.5, 2.5, 2.5] }) as number,
      );
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
    it('propagates NaN and costs ∞ for an infinite logit on the wrong side', () => {
      expect(bceWithLogits([NaN, 1], [0, 1])).toBeNaN();
      expect(bceWithLogits([Infinity, 1], [0, 1])).toBe(Infinity);
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
