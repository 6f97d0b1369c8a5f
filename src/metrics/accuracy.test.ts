import { describe, expect, it } from 'vitest';
import { expectClose, expectLossError } from '../test-support/check.js';
import { goldenTests } from '../test-support/golden.js';
import { accuracy } from './accuracy.js';
import { recall } from './recall.js';

describe('accuracy', () => {
  describe('golden values (torchmetrics semantics, checked with scikit-learn)', () => {
    goldenTests('accuracy');
  });

  it('is the share of correct predictions under micro', () => {
    expect(accuracy([0, 2, 1, 1], [0, 1, 1, 2], { numClasses: 3, average: 'micro' })).toBe(0.5);
  });

  it('is the mean per-class recall under macro (multiclass), as torchmetrics', () => {
    const input = [0, 2, 1, 1, 0, 0];
    const target = [0, 1, 1, 2, 0, 0];
    const o = { numClasses: 3, average: 'macro' } as const;
    expect(accuracy(input, target, o)).toBe(recall(input, target, o));
    expectClose(accuracy(input, target, o) as number, (1 + 0.5 + 0) / 3);
  });

  it('counts every label element under multilabel micro, (tp + tn) / all', () => {
    const v = accuracy(
      [
        [0.9, 0.1],
        [0.2, 0.8],
      ],
      [
        [1, 1],
        [0, 1],
      ],
      {
        task: 'multilabel',
        average: 'micro',
      },
    );
    expect(v).toBe(0.75);
  });

  it('keeps O(C) counts for a language-model vocabulary (numClasses 50257 on two labels)', () => {
    // Regression (issue 12): the multiclass state was a C×C matrix (20 GB here). Macro over the
    // classes seen: class 0 recall 0/1, class 1 recall 1/1, class 2 only a false positive, 0/0 → 0.
    const o = { task: 'multiclass', numClasses: 50257 } as const;
    expect(accuracy([1, 2], [1, 0], { ...o, average: 'macro' })).toBe(1 / 3);
    expect(accuracy([1, 2], [1, 0], { ...o, average: 'micro' })).toBe(0.5);
    const acc = accuracy.accumulator(o).update([1, 2], [1, 0]);
    expect(acc.state?.counts.length).toBe(3 * 50257);
  });

  it('refuses a class count past the documented counter limit before allocating (E_RANGE)', () => {
    expectLossError(
      () => accuracy([1, 2], [1, 0], { task: 'multiclass', numClasses: 2 ** 31 }),
      'E_RANGE',
      ["'numClasses'", 'at most 11184810 classes', '2147483648'],
    );
  });
});
