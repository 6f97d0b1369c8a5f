import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { multiclassCase } from '../../test-support/segmentation.js';
import { lovaszSoftmax } from './lovaszSoftmax.js';

// papers.md's probabilities (4 pixels × 3 classes), as (N = 1, C = 3, 4)
const P = [
  [
    [0.7, 0.1, 0.3, 0.6],
    [0.2, 0.8, 0.3, 0.3],
    [0.1, 0.1, 0.4, 0.1],
  ],
];

describe('lovaszSoftmax', () => {
  describe('golden values (Berman lovasz_softmax transcribed in torch)', () => {
    goldenTests('lovaszSoftmax');
  });

  describe('gradients', () => {
    it('matches central finite differences away from ties', () => {
      checkGradFD('lovaszSoftmax', multiclassCase(91, 2, 3, [2, 2]), {});
      checkGradFD('lovaszSoftmax', multiclassCase(92, 2, 4, [3]), {
        perImage: true,
        classes: 'all',
      });
      const c = multiclassCase(93, 2, 3, [3]);
      c.target.data[2] = 255;
      checkGradFD('lovaszSoftmax', c, { ignoreIndex: 255, classes: [2, 1] });
    });
    it('passes no gradient where an error is exactly 0 (torch abs: sign(0) = 0)', () => {
      // probabilities one-hot and correct at pixel 0: both its errors are 0
      const r = evaluate(
        'lovaszSoftmax',
        {
          input: [
            [
              [1, 0.3],
              [0, 0.7],
            ],
          ],
          target: [[0, 0]],
        },
        { fromLogits: false, classes: 'all' },
        { grad: true },
      );
      expect(r.grads!.input.data[0] + 0).toBe(0);
      expect(r.grads!.input.data[2] + 0).toBe(0);
    });
  });

  describe('identities', () => {
    it("reproduces papers.md's values 0.5055556, 0.4916667 (present) and 0.4611111 (all)", () => {
      const o = { fromLogits: false };
      expectClose(lovaszSoftmax(P, [[0, 1, 2, 1]], o), 0.5055556, { rtol: 1e-7 });
      expectClose(lovaszSoftmax(P, [[0, 1, 1, 1]], o), 0.4916667, { rtol: 1e-7 });
      expectClose(lovaszSoftmax(P, [[0, 1, 1, 1]], { ...o, classes: 'all' }), 0.4611111, {
        rtol: 1e-7,
      });
    });
    it('equals 1 − mIoU over the present classes for one-hot probabilities', () => {
      // predictions (0, 1, 1, 2) against labels (0, 1, 2, 2):
      // IoU_0 = 1, IoU_1 = 1/2, IoU_2 = 1/2 → 1 − mean = 1/3
      const onehot = [
        [
          [1, 0, 0, 0],
          [0, 1, 1, 0],
          [0, 0, 0, 1],
        ],
      ];
      expectClose(lovaszSoftmax(onehot, [[0, 1, 2, 2]], { fromLogits: false }), 1 / 3, {
        rtol: 1e-15,
      });
    });
    it('is the mean of the single-class losses over the present classes', () => {
      const c = multiclassCase(94, 2, 4, [3]);
      for (let i = 0; i < c.target.data.length; i++) c.target.data[i] = c.target.data[i] % 3;
      const per = [0, 1, 2].map((k) => lovaszSoftmax(c.input, c.target, { classes: [k] }));
      expectClose(lovaszSoftmax(c.input, c.target), (per[0] + per[1] + per[2]) / 3, {
        rtol: 1e-14,
      });
      // class 3 is absent: 'all' adds its largest probability
      const all = lovaszSoftmax(c.input, c.target, { classes: 'all' });
      const absent = lovaszSoftmax(c.input, c.target, { classes: [3] });
      expectClose(all, (per[0] + per[1] + per[2] + absent) / 4, { rtol: 1e-14 });
    });
    it('scores one image alike per image and over the batch', () => {
      const c = multiclassCase(95, 1, 3, [5]);
      expect(lovaszSoftmax(c.input, c.target, { perImage: true })).toBe(
        lovaszSoftmax(c.input, c.target),
      );
    });
  });

  describe('aggregation', () => {
    it('counts a fully ignored image as 0 in the mean over images', () => {
      const c = multiclassCase(96, 2, 3, [4]);
      const first = lovaszSoftmax(
        { data: c.input.data.slice(0, 12), shape: [1, 3, 4] },
        { data: c.target.data.slice(0, 4), shape: [1, 4] },
      );
      const t = Int32Array.from(c.target.data);
      t.fill(-1, 4);
      expectClose(
        lovaszSoftmax(
          c.input,
          { data: t, shape: c.target.shape },
          { ignoreIndex: -1, perImage: true },
        ),
        first / 2,
        { rtol: 1e-15 },
      );
    });
    it('gives an empty classes list 0', () => {
      const c = multiclassCase(97, 1, 3, [4]);
      expect(lovaszSoftmax(c.input, c.target, { classes: [] })).toBe(0);
    });
  });

  describe('edge cases', () => {
    it('gives 0 with zero gradient for an empty batch and for all pixels ignored', () => {
      expect(
        lovaszSoftmax(
          { data: new Float64Array(0), shape: [0, 3, 2] },
          { data: new Int32Array(0), shape: [0, 2] },
        ),
      ).toBe(0);
      const r = evaluate(
        'lovaszSoftmax',
        {
          input: [
            [
              [0.5, -1],
              [0.2, 0.1],
            ],
          ],
          target: [[4, 4]],
        },
        { ignoreIndex: 4 },
        { grad: true },
      );
      expect(r.value).toBe(0);
      expect(Array.from(r.grads!.input.data)).toEqual([0, 0, 0, 0]);
    });
    it('propagates NaN and keeps float32 gradients for float32 input', () => {
      expect(
        lovaszSoftmax(
          [
            [
              [NaN, 1],
              [0, 0],
            ],
          ],
          [[0, 1]],
        ),
      ).toBeNaN();
      const r = lovaszSoftmax.valueAndGrad(
        { data: Float32Array.of(0.5, -1, 0.2, 0.1), shape: [1, 2, 2] },
        [[0, 1]],
      );
      expect(r.grads.input.data).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    it('rejects class ids outside [0, C) and unknown keywords (E_OPTION)', () => {
      expectLossError(() => lovaszSoftmax(P, [[0, 1, 2, 1]], { classes: [3] }), 'E_OPTION', [
        "option 'classes'",
        '[0, 2]',
      ]);
      expectLossError(
        () => evaluate('lovaszSoftmax', { input: P, target: [[0, 1, 2, 1]] }, { classes: 'some' }),
        'E_OPTION',
        ["option 'classes'"],
      );
    });
    it('rejects indices out of range (E_RANGE) and a mismatched target (E_SHAPE)', () => {
      expectLossError(() => lovaszSoftmax(P, [[0, 1, 3, 1]]), 'E_RANGE', ['[0, 2]']);
      expectLossError(() => lovaszSoftmax(P, [[0, 1, 2]]), 'E_SHAPE', ["'target'"]);
    });
  });
});
