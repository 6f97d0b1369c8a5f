import { describe, expect, it } from 'vitest';
import { evaluate } from '../registry.js';
import { expectClose } from '../test-support/check.js';
import { goldenTests } from '../test-support/golden.js';
import { accuracy } from './accuracy.js';
import { confusionMatrix } from './confusionMatrix.js';
import { diceScore } from './diceScore.js';
import { f1Score } from './f1Score.js';
import { precision } from './precision.js';
import { recall } from './recall.js';
import { specificity } from './specificity.js';

/**
 * Seed 002: 100 people, 30 with a tumour; 25 predicted positive, 5 of whom are healthy.
 * Rows: 20 TP, 5 FP, 10 FN, 65 TN.
 */
function tumour(): { input: Int32Array; target: Int32Array } {
  const input = new Int32Array(100);
  const target = new Int32Array(100);
  for (let i = 0; i < 20; i++) [input[i], target[i]] = [1, 1];
  for (let i = 20; i < 25; i++) [input[i], target[i]] = [1, 0];
  for (let i = 25; i < 35; i++) [input[i], target[i]] = [0, 1];
  return { input, target };
}

describe('f1Score', () => {
  describe('golden values (torchmetrics semantics, checked with scikit-learn)', () => {
    goldenTests('f1Score');
  });

  describe("seed 002's tumour example", () => {
    const { input, target } = tumour();
    const opts = { task: 'binary' } as const;

    it('counts TP 20, FP 5, FN 10, TN 65', () => {
      expect(confusionMatrix(input, target)).toEqual({
        data: Float64Array.of(65, 5, 10, 20),
        shape: [2, 2],
      });
    });

    it('gives F1 = dice = 2·20 / (2·20 + 5 + 10) = 0.7273', () => {
      const f1 = f1Score(input, target, opts) as number;
      expectClose(f1, 40 / 55);
      expect(f1.toFixed(4)).toBe('0.7273');
      expect(diceScore(input, target, opts)).toBe(f1);
    });

    it('gives F1 = 2PR / (P + R) with P = 20/25 and R = 20/30', () => {
      const p = precision(input, target, opts) as number;
      const r = recall(input, target, opts) as number;
      expectClose(p, 0.8);
      expectClose(r, 2 / 3);
      expectClose(f1Score(input, target, opts) as number, (2 * p * r) / (p + r));
      expectClose(accuracy(input, target, opts) as number, 0.85); // (20 + 65) / 100
      expectClose(specificity(input, target, opts) as number, 65 / 70);
    });
  });

  describe('identities', () => {
    it('equals fbetaScore with beta = 1 for every average', () => {
      const input = [0, 2, 1, 1, 0, 2, 2];
      const target = [0, 1, 1, 2, 0, 2, 0];
      for (const average of ['micro', 'macro', 'weighted', 'none']) {
        const o = { numClasses: 3, average };
        expect(evaluate('f1Score', { input, target }, o).value).toEqual(
          evaluate('fbetaScore', { input, target }, { ...o, beta: 1 }).value,
        );
      }
    });
  });
});
