import { describe, expect, it } from 'vitest';
import { evaluate } from '../registry.js';
import { goldenTests } from '../test-support/golden.js';
import { diceScore } from './diceScore.js';

describe('diceScore', () => {
  describe('golden values (torchmetrics f1_score semantics, checked with scikit-learn)', () => {
    goldenTests('diceScore');
  });

  it('equals f1Score on the same counts for every task and average', () => {
    const cases = [
      { input: [0.9, 0.2, 0.7, 0.4], target: [1, 0, 0, 1], options: {} },
      {
        input: [0, 2, 1, 1, 0],
        target: [0, 1, 1, 2, 255],
        options: { numClasses: 3, ignoreIndex: 255 },
      },
      {
        input: [
          [0.9, 0.2],
          [0.7, 0.6],
        ],
        target: [
          [1, 0],
          [0, 1],
        ],
        options: { task: 'multilabel' },
      },
    ];
    for (const { input, target, options } of cases) {
      for (const average of ['micro', 'macro', 'weighted', 'none']) {
        const o = { ...options, average };
        expect(evaluate('diceScore', { input, target }, o).value).toEqual(
          evaluate('f1Score', { input, target }, o).value,
        );
      }
    }
  });

  it('gives zeroDivision for an empty mask predicted empty', () => {
    expect(diceScore([0.1, 0.2], [0, 0], { zeroDivision: 1 })).toBe(1);
  });
});
