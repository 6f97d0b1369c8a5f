import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { binaryCase, tumourMasks } from '../../test-support/segmentation.js';
import { lovaszHinge } from './lovaszHinge.js';

describe('lovaszHinge', () => {
  describe('golden values (Berman lovasz_hinge transcribed in torch)', () => {
    goldenTests('lovaszHinge');
  });

  describe('gradients', () => {
    it('matches central finite differences away from ties and zero errors', () => {
      checkGradFD('lovaszHinge', binaryCase(81, 2, [3, 3]), {});
      checkGradFD('lovaszHinge', binaryCase(82, 3, [5]), { perImage: false });
      const c = binaryCase(83, 2, [4]);
      c.target.data[1] = 255;
      checkGradFD('lovaszHinge', c, { ignoreIndex: 255 });
    });
    it('gives the exact gradient of the current sort order at ties, and 0 where the error is 0', () => {
      // errors (−1, 0, 1.5, 1.5); stable order 2, 3, 1, 0 with g = 0, 1, 0, 1 and G = 2:
      // J = 1/3, 2/3, 3/4, 1 → increments 1/3, 1/3, 1/12, 1/4; loss = 1.5/3 + 1.5/3 = 1 (papers.md)
      // d/dx_i = −(2t_i − 1)·Δ·[e_i > 0]: (0, 0, +1/3, −1/3) (relu passes nothing at e = 0)
      const r = lovaszHinge.valueAndGrad([[2, -1, 0.5, -0.5]], [[1, 0, 0, 1]]);
      expect(r.value).toBe(1);
      const g = r.grads.input.data;
      expect([g[0] + 0, g[1] + 0]).toEqual([0, 0]);
      expectClose(g[2], 1 / 3, { rtol: 1e-15 });
      expectClose(g[3], -1 / 3, { rtol: 1e-15 });
    });
  });

  describe('identities', () => {
    it('equals 1 − IoU when the mistakes have error 1 and the rest error ≤ 0 (seed 002: 1 − 20/35)', () => {
      // TP / TN logits ±2 (errors −1), FP / FN logits 0 (errors 1): the Lovász extension at the
      // indicator of the mistakes is the Jaccard loss |M| / |y ∪ M| = 15 / 35
      const { input, target } = tumourMasks();
      const logits = Float64Array.from(input.data, (p, i) =>
        p === target.data[i] ? (p === 1 ? 2 : -2) : 0,
      );
      expectClose(lovaszHinge({ data: logits, shape: input.shape }, target), 15 / 35, {
        rtol: 1e-15,
      });
    });
    it("reproduces papers.md's values: ([3, −3], [1, 0]) → 0 and ([0, 0, 0], [1, 0, 1]) → 1", () => {
      expect(lovaszHinge([[3, -3]], [[1, 0]])).toBe(0);
      expect(lovaszHinge([[0, 0, 0]], [[1, 0, 1]])).toBe(1);
    });
    it('averages the per-image losses when perImage, and scores one image alike either way', () => {
      const c = binaryCase(84, 2, [6]);
      const per = [0, 1].map((n) =>
        lovaszHinge(
          { data: c.input.data.slice(n * 6, n * 6 + 6), shape: [1, 6] },
          { data: c.target.data.slice(n * 6, n * 6 + 6), shape: [1, 6] },
        ),
      );
      expectClose(lovaszHinge(c.input, c.target), (per[0] + per[1]) / 2, { rtol: 1e-15 });
      const one = binaryCase(85, 1, [6]);
      expect(lovaszHinge(one.input, one.target, { perImage: false })).toBe(
        lovaszHinge(one.input, one.target),
      );
    });
  });

  describe('aggregation', () => {
    it('counts a fully ignored image as 0 in the mean over images', () => {
      const c = binaryCase(86, 2, [4]);
      const first = lovaszHinge(
        { data: c.input.data.slice(0, 4), shape: [1, 4] },
        { data: c.target.data.slice(0, 4), shape: [1, 4] },
      );
      const t = Float64Array.from(c.target.data);
      t.fill(7, 4);
      expectClose(
        lovaszHinge(c.input, { data: t, shape: c.target.shape }, { ignoreIndex: 7 }),
        first / 2,
        { rtol: 1e-15 },
      );
    });
  });

  describe('edge cases', () => {
    it('gives 0 for an empty batch and for a fully ignored batch', () => {
      expect(
        lovaszHinge(
          { data: new Float64Array(0), shape: [0, 3] },
          { data: new Float64Array(0), shape: [0, 3] },
        ),
      ).toBe(0);
      const r = evaluate(
        'lovaszHinge',
        { input: [[0.5, -1]], target: [[9, 9]] },
        { ignoreIndex: 9, perImage: false },
        { grad: true },
      );
      expect(r.value).toBe(0);
      expect(Array.from(r.grads!.input.data)).toEqual([0, 0]);
    });
    it('propagates NaN and keeps float32 gradients for float32 input', () => {
      expect(lovaszHinge([[NaN, 1]], [[1, 0]])).toBeNaN();
      const r = lovaszHinge.valueAndGrad({ data: Float32Array.of(0.5, -1), shape: [1, 2] }, [
        [1, 0],
      ]);
      expect(r.grads.input.data).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    it('rejects a target value other than 0, 1 or the ignore index (E_RANGE)', () => {
      expectLossError(() => lovaszHinge([[0.5, 1]], [[1, 2]]), 'E_RANGE', [
        'lovaszHinge',
        'binary mask',
        '2 at flat position 1',
      ]);
      expectLossError(() => lovaszHinge([[0.5, 1]], [[0.5, 1]]), 'E_RANGE', ['0.5']);
    });
    it('rejects a target that does not match the input (E_SHAPE)', () => {
      expectLossError(() => lovaszHinge([[0.5, 1]], [[1, 0, 1]]), 'E_SHAPE', ["'target'"]);
    });
    it('has no mode option (E_OPTION)', () => {
      expectLossError(
        () => evaluate('lovaszHinge', { input: [[1]], target: [[1]] }, { mode: 'binary' }),
        'E_OPTION',
        ["'mode'"],
      );
    });
  });
});
