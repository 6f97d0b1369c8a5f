import { describe, expect, it } from 'vitest';
import { expectClose, expectLossError } from '../test-support/check.js';
import { goldenTests } from '../test-support/golden.js';
import { fbetaScore } from './fbetaScore.js';
import { precision } from './precision.js';
import { recall } from './recall.js';

describe('fbetaScore', () => {
  describe('golden values (torchmetrics semantics, checked with scikit-learn)', () => {
    goldenTests('fbetaScore');
  });

  it('equals (1 + β²)PR / (β²P + R)', () => {
    const input = [0.9, 0.2, 0.7, 0.4, 0.8, 0.1, 0.6];
    const target = [1, 0, 0, 1, 1, 0, 1];
    const p = precision(input, target) as number;
    const r = recall(input, target) as number;
    for (const beta of [0.5, 2, 3]) {
      const b2 = beta * beta;
      expectClose(fbetaScore(input, target, { beta }) as number, ((1 + b2) * p * r) / (b2 * p + r));
    }
  });

  it('tends to recall as beta grows', () => {
    const input = [0.9, 0.2, 0.7, 0.4];
    const target = [1, 1, 0, 1];
    expectClose(
      fbetaScore(input, target, { beta: 1e6 }) as number,
      recall(input, target) as number,
      {
        rtol: 1e-9,
      },
    );
  });

  it('rejects beta <= 0 (E_OPTION)', () => {
    expectLossError(() => fbetaScore([0.9], [1], { beta: 0 }), 'E_OPTION', ["'beta'", '> 0']);
  });

  it('gives zeroDivision only when TP = FP = FN = 0', () => {
    expect(fbetaScore([0.1, 0.2], [0, 0], { beta: 2, zeroDivision: 0.5 })).toBe(0.5);
    expect(fbetaScore([0.9, 0.2], [0, 0], { beta: 2, zeroDivision: 0.5 })).toBe(0);
  });

  it('stays finite when beta² overflows or underflows (recall and precision are its limits)', () => {
    // Regression (issue 12): beta = 1e155 gave NaN (β² = Infinity). Here tp = 1, fp = 2, fn = 1:
    // β → ∞ gives recall tp / (tp + fn) = 1/2, β → 0 gives precision tp / (tp + fp) = 1/3.
    const input = [0.9, 0.7, 0.6, 0.4];
    const target = [1, 0, 0, 1];
    expect(fbetaScore(input, target, { beta: 1e155 })).toBe(0.5);
    expect(fbetaScore(input, target, { beta: 1e-200 })).toBe(1 / 3);
    expect(fbetaScore(input, target, { beta: 1e155 })).toBe(recall(input, target));
    expect(fbetaScore([0.1, 0.2], [0, 0], { beta: 1e155, zeroDivision: 0.5 })).toBe(0.5);
  });
});
