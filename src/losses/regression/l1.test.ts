import { describe, expect, it } from 'vitest';
import { evaluate, getEntry } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { l1 } from './l1.js';
import { smoothL1 } from './smoothL1.js';

describe('l1', () => {
  describe('golden values (torch.nn.functional.l1_loss)', () => {
    goldenTests('l1');
  });

  describe('gradients', () => {
    it('matches central finite differences away from the kink', () => {
      const input = tensorOf([2, 3], (i) => Math.sin(i + 1) * 3);
      const target = tensorOf([2, 3], (i) => Math.cos(i));
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD('l1', { input, target }, { reduction });
      }
    });
    it('returns the subgradient 0 at a zero residual, as torch', () => {
      const { grads } = l1.valueAndGrad([1, 2, 3], [1, 0, 5], { reduction: 'sum' });
      expect(Array.from(grads.input.data)).toEqual([0, 1, -1]);
    });
  });

  describe('identities', () => {
    it('is reachable through the alias mae', () => {
      expect(getEntry('mae')).toBe(l1);
      expect(evaluate('mae', { input: [1, 4], target: [0, 0] }).value).toBe(2.5);
    });
    it('gives sum = n · mean', () => {
      const x = [0.5, -1.25, 3, 7];
      const y = [1, 1, 1, 1];
      expectClose(l1(x, y, { reduction: 'sum' }) as number, 4 * (l1(x, y) as number));
    });
    it('equals smoothL1 with beta = 0 in value and, away from 0, in gradient', () => {
      const x = [0.5, -1.25, 3, 1e-9];
      const y = [1, 1, 1, 0];
      const a = l1.valueAndGrad(x, y);
      const b = smoothL1.valueAndGrad(x, y, { beta: 0 });
      expect(a.value).toBe(b.value);
      expect(Array.from(a.grads.input.data)).toEqual(Array.from(b.grads.input.data));
    });
  });

  describe('reductions', () => {
    it("keeps the input's shape under 'none'", () => {
      const out = l1([[1, -2]], [[0, 0]], { reduction: 'none' });
      expect(out).toEqual({ data: Float64Array.from([1, 2]), shape: [1, 2] });
    });
  });

  describe('edge cases', () => {
    it('gives 0 for empty input under mean and sum, and an empty tensor under none', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(l1(empty, empty)).toBe(0);
      expect(l1(empty, empty, { reduction: 'sum' })).toBe(0);
      expect(l1.valueAndGrad(empty, empty).grads.input.data.length).toBe(0);
    });
    it('propagates NaN and Infinity to the value', () => {
      expect(l1([NaN, 1], [0, 1])).toBeNaN();
      expect(l1([-Infinity, 1], [0, 1])).toBe(Infinity);
    });
    it('keeps float32 output and gradient dtype for float32 input', () => {
      const x = { data: Float32Array.of(1.5, -2), shape: [2] };
      const { value, grads } = l1.valueAndGrad(x, [0, 0], { reduction: 'none' });
      expect(typeof value === 'object' && value.data instanceof Float32Array).toBe(true);
      expect(grads.input.data).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => l1([1, 2], [[1, 2]]), 'E_SHAPE', ['l1', "'target'", '[2]', '[1, 2]']);
    });
    it('rejects an unknown reduction (E_OPTION)', () => {
      expectLossError(() => l1([1], [1], { reduction: 'avg' as never }), 'E_OPTION', [
        "option 'reduction'",
        'reduction="avg"',
      ]);
    });
    it('rejects a non-numeric target (E_TYPE)', () => {
      expectLossError(() => evaluate('mae', { input: [1], target: ['a'] }), 'E_TYPE', [
        'l1',
        "'target'",
      ]);
    });
    it('rejects a missing target (E_INPUT)', () => {
      expectLossError(() => evaluate('l1', { input: [1] }), 'E_INPUT', ['l1', "'target'"]);
    });
  });
});
