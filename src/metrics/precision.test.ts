import { describe, expect, it } from 'vitest';
import { expectLossError } from '../test-support/check.js';
import { goldenTests } from '../test-support/golden.js';
import { precision } from './precision.js';

describe('precision', () => {
  describe('golden values (torchmetrics semantics, checked with scikit-learn)', () => {
    goldenTests('precision');
  });

  describe('zero division', () => {
    it('accepts NaN as zeroDivision and returns it when nothing is predicted positive', () => {
      expect(precision([0.1, 0.2], [1, 0], { zeroDivision: NaN })).toBeNaN();
      expect(precision([0.9, 0.2], [1, 0], { zeroDivision: NaN })).toBe(1);
    });
    it('gives zeroDivision when nothing is predicted positive', () => {
      for (const zeroDivision of [0, 1, 0.25]) {
        expect(precision([0.1, 0.2], [1, 0], { zeroDivision })).toBe(zeroDivision);
      }
    });
    it('reports an absent class as zeroDivision under none but drops it from macro', () => {
      const o = { numClasses: 3, zeroDivision: 1 };
      // class 2 never occurs; classes 0 and 1: precision 1/2 and 1/1 (derivation: input 0 at a 1)
      expect(precision([0, 0, 1], [0, 1, 1], { ...o, average: 'none' })).toEqual({
        data: Float64Array.of(0.5, 1, 1),
        shape: [3],
      });
      expect(precision([0, 0, 1], [0, 1, 1], { ...o, average: 'macro' })).toBe(0.75);
    });
  });

  describe('input forms', () => {
    it('treats Int32Array input as labels, unaffected by the threshold', () => {
      expect(precision(Int32Array.of(1, 1, 0), [1, 0, 0], { threshold: 1 })).toBe(0.5);
      expect(precision([1, 1, 0], [1, 0, 0], { threshold: 1 })).toBe(0); // 1 > 1 is false
    });
    it('never passes scores through a sigmoid', () => {
      // logits 2 and -0.3: the first is > 0.5, the second is not (a sigmoid would make it 0.43)
      expect(precision([2, -0.3, 0.6], [1, 1, 0], { task: 'binary' })).toBe(0.5);
    });
    it('returns NaN when a score is NaN', () => {
      expect(precision([NaN, 0.9], [1, 1])).toBeNaN();
      const v = precision(
        [
          [NaN, 1],
          [0, 1],
        ],
        [0, 1],
        { average: 'none' },
      );
      expect(typeof v === 'object' && Array.from(v.data)).toEqual([NaN, NaN]);
    });
  });

  describe('errors', () => {
    it('rejects non-integer labels (E_TYPE)', () => {
      expectLossError(() => precision([0.5, 1], [0, 1], { numClasses: 3 }), 'E_TYPE', [
        "'input'",
        '0.5',
      ]);
    });
    it('rejects labels outside the classes with a hint (E_RANGE)', () => {
      expectLossError(() => precision([0.2, 0.9], [0, 2]), 'E_RANGE', [
        "'target'",
        'labels 0 or 1',
        'numClasses',
      ]);
    });
    it('rejects multiclass labels without numClasses (E_OPTION)', () => {
      expectLossError(() => precision([0, 2], [1, 2], { task: 'multiclass' }), 'E_OPTION', [
        "'numClasses'",
      ]);
    });
    it('rejects numClasses other than 2 for binary (E_OPTION)', () => {
      expectLossError(
        () => precision([0, 1], [1, 0], { task: 'binary', numClasses: 3 }),
        'E_OPTION',
      );
    });
    it('rejects a class axis that disagrees with numClasses or the task (E_SHAPE)', () => {
      expectLossError(() => precision([[0.1, 0.9]], [1], { numClasses: 3 }), 'E_SHAPE', [
        'numClasses=3',
      ]);
      expectLossError(() => precision([[0.1, 0.9]], [1], { task: 'binary' }), 'E_SHAPE', [
        "'binary'",
      ]);
      expectLossError(() => precision([0.1, 0.9], [1], {}), 'E_SHAPE', ["'target'"]);
    });
  });
});
