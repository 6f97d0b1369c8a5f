import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { contrastive } from './contrastive.js';

const none = { reduction: 'none' } as const;
const data = (v: unknown): number[] => Array.from((v as { data: Float64Array }).data);

describe('contrastive', () => {
  describe('golden values (Hadsell et al. 2006, transcribed in torch)', () => {
    goldenTests('contrastive', { rtol: 1e-12, atol: 1e-14 });
  });

  describe('gradients', () => {
    it('matches central finite differences for similar pairs and dissimilar pairs inside the margin', () => {
      const input1 = tensorOf([4, 3], (i) => 0.4 * Math.sin(i + 1));
      const input2 = tensorOf([4, 3], (i) => 0.3 * Math.cos(2 * i));
      const target = { data: Float64Array.of(1, 0, 1, 0), shape: [4] };
      for (const reduction of ['mean', 'sum', 'none'])
        for (const margin of [1, 2])
          checkGradFD('contrastive', { input1, input2, target }, { reduction, margin });
    });
    it('gives 0 gradient to a dissimilar pair at d = 0 and beyond the margin', () => {
      const { value, grads } = contrastive.valueAndGrad(
        [
          [1, 1],
          [0, 0],
        ],
        [
          [1, 1],
          [3, 0],
        ],
        [0, 0],
        { reduction: 'none' },
      );
      expect(data(value)).toEqual([0.5, 0]);
      expect(Array.from(grads.input1.data, (g) => g + 0)).toEqual([0, 0, 0, 0]);
    });
  });

  describe('identities', () => {
    it('is ½d² for a similar pair and ½(m − d)² for a dissimilar one', () => {
      // d = 5 (3-4-5 triangle)
      expect(
        data(
          contrastive(
            [
              [3, 4],
              [0.3, 0.4],
            ],
            [
              [0, 0],
              [0, 0],
            ],
            [1, 0],
            { margin: 2, ...none },
          ),
        ),
      ).toEqual([12.5, 1.125]);
    });
    it('has the gradient (x1 − x2) for a similar pair and its negative for input2', () => {
      const { grads } = contrastive.valueAndGrad([[0.5, -1]], [[0.25, 1]], [1], {
        reduction: 'sum',
      });
      expect(Array.from(grads.input1.data)).toEqual([0.25, -2]);
      expect(Array.from(grads.input2.data)).toEqual([-0.25, 2]);
    });
  });

  describe('reductions', () => {
    it("averages over pairs under 'mean'", () => {
      const args = [
        [
          [3, 4],
          [0.3, 0.4],
        ],
        [
          [0, 0],
          [0, 0],
        ],
        [1, 0],
      ] as const;
      expectClose(contrastive(...args, { margin: 2, reduction: 'sum' }) as number, 13.625);
      expectClose(contrastive(...args, { margin: 2 }) as number, 13.625 / 2);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for an empty batch', () => {
      const e = { data: new Float64Array(0), shape: [0, 2] };
      expect(contrastive(e, e, { data: new Float64Array(0), shape: [0] })).toBe(0);
    });
    it('propagates NaN embeddings and NaN labels', () => {
      const v = data(
        contrastive(
          [
            [NaN, 0],
            [1, 0],
          ],
          [
            [0, 0],
            [0, 0],
          ],
          [1, NaN],
          none,
        ),
      );
      expect(v[0]).toBeNaN();
      expect(v[1]).toBeNaN();
    });
    it('keeps float32 under none and accepts one 1-D pair', () => {
      const out = contrastive({ data: Float32Array.of(1, 0), shape: [1, 2] }, [[0, 0]], [1], none);
      expect(typeof out === 'object' && out.data instanceof Float32Array).toBe(true);
      expect(contrastive([1, 0], [0, 0], 1, { reduction: 'sum' })).toBe(0.5);
    });
  });

  describe('errors', () => {
    it('rejects embeddings of different sizes (E_SHAPE)', () => {
      expectLossError(() => contrastive([[1, 2]], [[1]], [1]), 'E_SHAPE', [
        'contrastive',
        "'input2'",
      ]);
    });
    it('rejects ±1 labels (E_RANGE): 1 is similar, 0 dissimilar', () => {
      expectLossError(() => contrastive([[1, 2]], [[1, 2]], [-1]), 'E_RANGE', [
        "'target'",
        '1 (similar) or 0 (dissimilar)',
        '-1',
      ]);
    });
    it('rejects a negative margin (E_OPTION) and a string input (E_TYPE)', () => {
      expectLossError(() => contrastive([[1]], [[1]], [1], { margin: -1 }), 'E_OPTION', [
        "option 'margin'",
      ]);
      expectLossError(
        () => evaluate('contrastive', { input1: 'x', input2: [[1]], target: [1] }),
        'E_TYPE',
        ["'input1'"],
      );
    });
  });
});
