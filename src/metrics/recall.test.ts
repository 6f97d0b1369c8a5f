import { describe, expect, it } from 'vitest';
import { goldenTests } from '../test-support/golden.js';
import { recall } from './recall.js';
import { specificity } from './specificity.js';

describe('recall', () => {
  describe('golden values (torchmetrics semantics, checked with scikit-learn)', () => {
    goldenTests('recall');
  });

  it('gives zeroDivision when the target has no positive', () => {
    expect(recall([0.9, 0.2], [0, 0], { zeroDivision: 1 })).toBe(1);
  });

  it('equals the specificity of the flipped labels (binary)', () => {
    const input = Int32Array.of(1, 0, 1, 1, 0, 0, 1);
    const target = Int32Array.of(1, 0, 0, 1, 1, 0, 1);
    const flip = (a: Int32Array) => a.map((v) => 1 - v);
    expect(recall(input, target)).toBe(specificity(flip(input), flip(target)));
  });

  it('keeps a class absent from the batch out of macro and in none', () => {
    // classes 0 and 1 have recall 1/2 and 1; class 2 is absent (0/0 → zeroDivision 0 under none)
    expect(recall([0, 1, 1], [0, 0, 1], { numClasses: 3 })).toBe(0.75);
    expect(recall([0, 1, 1], [0, 0, 1], { numClasses: 3, average: 'none' })).toEqual({
      data: Float64Array.of(0.5, 1, 0),
      shape: [3],
    });
  });
});
