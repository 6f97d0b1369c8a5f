import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { cosineEmbedding } from './cosineEmbedding.js';

const none = { reduction: 'none' } as const;
const data = (v: unknown): number[] => Array.from((v as { data: Float64Array }).data);

describe('cosineEmbedding', () => {
  describe('golden values (torch.nn.functional.cosine_embedding_loss)', () => {
    goldenTests('cosineEmbedding', { rtol: 1e-12, atol: 1e-14 });
  });

  describe('gradients', () => {
    it('matches central finite differences for both labels', () => {
      const input1 = tensorOf([3, 4], (i) => Math.sin(1.3 * i + 0.2));
      const input2 = tensorOf([3, 4], (i) => Math.cos(0.7 * i));
      const target = { data: Float64Array.of(1, -1, -1), shape: [3] };
      for (const reduction of ['mean', 'sum', 'none'])
        for (const margin of [-0.5, 0, 0.1])
          checkGradFD('cosineEmbedding', { input1, input2, target }, { reduction, margin });
    });
    it('keeps the full slope of a dissimilar pair at cos = margin exactly', () => {
      // Orthogonal vectors: cos = 0 = margin, so the loss is 0 but the gradient is dcos/dx1 = x2/(|x1||x2|).
      const { value, grads } = cosineEmbedding.valueAndGrad([[1, 0]], [[0, 2]], [-1], {
        reduction: 'sum',
      });
      expect(value).toBe(0);
      expectClose(
        grads.input1.data[1],
        2 / Math.sqrt((1 + Math.fround(1e-12)) * (4 + Math.fround(1e-12))),
      );
    });
  });

  describe('identities', () => {
    it('is invariant to positive rescaling of either embedding', () => {
      const a = [[0.3, -0.2, 0.9]];
      const b = [[1.1, 0.4, -0.3]];
      for (const y of [1, -1]) {
        expectClose(
          cosineEmbedding(a, b, [y], { margin: -0.5 }) as number,
          cosineEmbedding([a[0].map((v) => 7 * v)], b, [y], { margin: -0.5 }) as number,
          { rtol: 1e-12 },
        );
      }
    });
    it('is 0 for identical similar embeddings and 2 for opposite ones', () => {
      // 1 − 5/√((5 + ε)²) = ε/5 to first order with ε = 1e-12: 2e-13, not exactly 0.
      expectClose(cosineEmbedding([[1, 2]], [[1, 2]], [1]) as number, 2e-13, { rtol: 1e-3 });
      expectClose(cosineEmbedding([[1, 2]], [[-1, -2]], [1]) as number, 2);
    });
  });

  describe('reductions', () => {
    it("averages the per-pair losses under 'mean'", () => {
      // cos = 1 (loss 0) and cos = 1 with y = −1, margin 0.5 (loss 0.5)
      const args = [
        [
          [1, 0],
          [0, 3],
        ],
        [
          [2, 0],
          [0, 1],
        ],
        [1, -1],
      ] as const;
      expectClose(cosineEmbedding(...args, { margin: 0.5, reduction: 'sum' }) as number, 0.5, {
        rtol: 1e-11,
      });
      expectClose(cosineEmbedding(...args, { margin: 0.5 }) as number, 0.25, { rtol: 1e-11 });
    });
  });

  describe('edge cases', () => {
    it('gives cosine 0 (loss 1 for a similar pair) with a huge but finite gradient for a zero vector, as torch', () => {
      const { value, grads } = cosineEmbedding.valueAndGrad([[0, 0]], [[3, 4]], [1], none);
      expect(data(value)).toEqual([1]);
      // dcos/dx1 = x2/sqrt((0 + 1e-12)(25 + 1e-12)) → −x2/(5e-6) for the loss 1 − cos
      const eps = Math.fround(1e-12);
      expectClose(grads.input1.data[0], -3 / Math.sqrt(eps * (25 + eps)));
    });
    it('gives 0 for an empty batch and a scalar loss for one 1-D pair', () => {
      const e = { data: new Float64Array(0), shape: [0, 3] };
      expect(cosineEmbedding(e, e, { data: new Float64Array(0), shape: [0] })).toBe(0);
      const one = cosineEmbedding([1, 0], [0, 1], 1, none) as { shape: number[] };
      expect(one.shape).toEqual([]);
    });
    it('propagates NaN', () => {
      expect(cosineEmbedding([[NaN, 1]], [[1, 1]], [1])).toBeNaN();
    });
  });

  describe('errors', () => {
    it('rejects embeddings of different sizes (E_SHAPE)', () => {
      expectLossError(() => cosineEmbedding([[1, 2]], [[1, 2, 3]], [1]), 'E_SHAPE', [
        'cosineEmbedding',
        "'input2'",
        'embeddings of equal size',
      ]);
    });
    it('rejects a target that is not one label per row (E_SHAPE) and a rank-3 input', () => {
      expectLossError(() => cosineEmbedding([[1, 2]], [[1, 2]], [1, 1]), 'E_SHAPE', [
        "'target'",
        'one label per row',
      ]);
      expectLossError(() => cosineEmbedding([[[1]]], [[[1]]], [1]), 'E_SHAPE', [
        "'input1'",
        '(N, D) or (D)',
      ]);
    });
    it('rejects labels other than ±1 (E_RANGE)', () => {
      expectLossError(() => cosineEmbedding([[1, 2]], [[1, 2]], [0]), 'E_RANGE', [
        "'target'",
        '1 or -1',
      ]);
    });
    it('rejects a boolean margin (E_OPTION) and a string input (E_TYPE)', () => {
      const ins = { input1: [[1]], input2: [[1]], target: [1] };
      expectLossError(() => evaluate('cosineEmbedding', ins, { margin: true }), 'E_OPTION', [
        "option 'margin'",
      ]);
      expectLossError(() => evaluate('cosineEmbedding', { ...ins, input2: 'x' }), 'E_TYPE', [
        "'input2'",
      ]);
    });
  });
});
