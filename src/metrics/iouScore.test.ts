import { describe, expect, it } from 'vitest';
import { expectClose } from '../test-support/check.js';
import { goldenTests } from '../test-support/golden.js';
import { diceScore } from './diceScore.js';
import { iouScore } from './iouScore.js';

describe('iouScore', () => {
  describe('golden values (torchmetrics jaccard_index semantics, checked with scikit-learn)', () => {
    goldenTests('iouScore');
  });

  it('relates to dice by IoU = D / (2 − D) per class', () => {
    const input = [0, 1, 1, 2, 2, 0, 1];
    const target = [0, 1, 2, 2, 1, 0, 0];
    const o = { numClasses: 3, average: 'none' } as const;
    const iou = iouScore(input, target, o) as { data: Float64Array };
    const dice = diceScore(input, target, o) as { data: Float64Array };
    for (let c = 0; c < 3; c++) expectClose(iou.data[c], dice.data[c] / (2 - dice.data[c]));
  });

  it('excludes an in-range ignored class from macro and micro but reports it under none', () => {
    // class 0 ignored: its positions are removed, and its column (input 0 at target 1) is dropped
    const input = [0, 1, 1, 2];
    const target = [0, 1, 1, 2];
    const withFp = [0, 0, 1, 2];
    const o = { numClasses: 3, ignoreIndex: 0 } as const;
    expect(iouScore(input, target, o)).toBe(1);
    // class 1: tp 1, fn 1 → 1/2; class 2: 1; class 0 (ignored) has fp 1 → 0 under none
    expect(iouScore(withFp, target, o)).toBe(0.75);
    expect(iouScore(withFp, target, { ...o, average: 'micro' })).toBe(2 / 3);
    expect(iouScore(withFp, target, { ...o, average: 'none' })).toEqual({
      data: Float64Array.of(0, 0.5, 1),
      shape: [3],
    });
  });
});
