import { describe, expect, it } from 'vitest';
import { goldenTests } from '../test-support/golden.js';
import { specificity } from './specificity.js';

describe('specificity', () => {
  describe('golden values (torchmetrics _specificity_reduce, transcribed)', () => {
    goldenTests('specificity');
  });

  it('is TN / (TN + FP) for binary', () => {
    // TN 2 (0.1, 0.3 at 0), FP 1 (0.8 at 0)
    expect(specificity([0.1, 0.3, 0.8, 0.9], [0, 0, 0, 1])).toBe(2 / 3);
  });

  it('gives zeroDivision when the target has no negative', () => {
    expect(specificity([0.9, 0.1], [1, 1], { zeroDivision: 1 })).toBe(1);
  });
});
