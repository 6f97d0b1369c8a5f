import { describe, expect, it } from 'vitest';
import { expectClose } from '../test-support/check.js';
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
});
