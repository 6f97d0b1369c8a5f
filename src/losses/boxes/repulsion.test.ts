import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { repulsion } from './repulsion.js';
import type { Box } from './testing.js';
import { boxes } from './testing.js';

const GT: Box[] = [
  [0, 0, 1, 2],
  [0.8, 0, 1.8, 2],
];
const INPUT: Box[] = [
  [0.1, 0.05, 1.1, 2.2],
  [0.75, 0.1, 1.85, 2.05],
  [0.2, -0.1, 1.15, 1.9],
];
const TARGET: Box[] = [GT[0], GT[1], GT[0]];
const ASSIGNED = { data: Int32Array.of(0, 1, 0), shape: [3] };
const inputs = (format = 'xyxy') => ({
  input: boxes(INPUT, format),
  target: boxes(TARGET, format),
  gtBoxes: boxes(GT, format),
  assigned: ASSIGNED,
});

/** Smooth_ln(x, σ) written out. */
const smoothLn = (x: number, s: number) =>
  x <= s ? -Math.log(1 - x) : (x - s) / (1 - s) - Math.log(1 - s);

describe('repulsion', () => {
  describe('golden values (the catalog definition in torch)', () => {
    goldenTests('repulsion', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches finite differences in every format and for several weightings', () => {
      for (const format of ['xyxy', 'xywh', 'cxcywh'])
        for (const o of [{}, { alpha: 1, beta: 0 }, { sigmaRepGt: 0.05, sigmaRepBox: 0.9 }])
          checkGradFD('repulsion', inputs(format), { ...o, format });
    });
  });

  describe('identities', () => {
    it('is the smooth L1 attraction alone when alpha = beta = 0', () => {
      let s = 0;
      for (let i = 0; i < 3; i++)
        for (let c = 0; c < 4; c++) {
          const d = Math.abs(INPUT[i][c] - TARGET[i][c]);
          s += d < 1 ? 0.5 * d * d : d - 0.5;
        }
      expectClose(
        repulsion(inputs().input, inputs().target, inputs().gtBoxes, ASSIGNED, {
          alpha: 0,
          beta: 0,
        }),
        s / 3,
        {
          rtol: 1e-14,
        },
      );
    });
    it('adds α·mean Smooth_ln(IoG) with the other ground truth as the RepGT term', () => {
      const base = repulsion(inputs().input, inputs().target, inputs().gtBoxes, ASSIGNED, {
        alpha: 0,
        beta: 0,
      });
      const withGt = repulsion(inputs().input, inputs().target, inputs().gtBoxes, ASSIGNED, {
        alpha: 1,
        beta: 0,
      });
      // IoG of each prediction with the gt it is not assigned to (only two gts: the other one)
      const iog = (b: number[], g: number[]) =>
        (Math.max(0, Math.min(b[2], g[2]) - Math.max(b[0], g[0])) *
          Math.max(0, Math.min(b[3], g[3]) - Math.max(b[1], g[1]))) /
        ((g[2] - g[0]) * (g[3] - g[1]));
      const want =
        (smoothLn(iog(INPUT[0], GT[1]), 0.5) +
          smoothLn(iog(INPUT[1], GT[0]), 0.5) +
          smoothLn(iog(INPUT[2], GT[1]), 0.5)) /
        3;
      expectClose(withGt - base, want, { rtol: 1e-13 });
    });
    it('has Smooth_ln values 0.287682, 0.693147, 1.193147 at 0.25, 0.5, 0.75 for σ = 0.5 (papers.md §6.6)', () => {
      expectClose(smoothLn(0.25, 0.5), 0.287682, { rtol: 2e-6 });
      expectClose(smoothLn(0.5, 0.5), 0.693147, { rtol: 1e-6 });
      expectClose(smoothLn(0.75, 0.5), 1.193147, { rtol: 1e-6 });
    });
    it('pushes a prediction away from the other object: RepGT raises the loss gradient towards it', () => {
      const a = repulsion.valueAndGrad(
        inputs().input,
        inputs().target,
        inputs().gtBoxes,
        ASSIGNED,
        { alpha: 0, beta: 0 },
      );
      const b = repulsion.valueAndGrad(
        inputs().input,
        inputs().target,
        inputs().gtBoxes,
        ASSIGNED,
        { alpha: 1, beta: 0 },
      );
      // prediction 0 overlaps gt 1 on its right: moving its x2 right increases the penalty
      expect(b.grads.input.data[2]).toBeGreaterThan(a.grads.input.data[2]);
    });
    it('is the same in every format', () => {
      const ref = evaluate('repulsion', inputs()).value as number;
      for (const format of ['xywh', 'cxcywh'])
        expectClose(evaluate('repulsion', inputs(format), { format }).value as number, ref, {
          rtol: 1e-12,
        });
    });
  });

  describe('reductions', () => {
    it("has only 'mean' (the batch-level terms have no per-prediction split)", () => {
      expectLossError(() => evaluate('repulsion', inputs(), { reduction: 'sum' }), 'E_OPTION', [
        "option 'reduction'",
      ]);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for no predictions', () => {
      const e = { data: new Float64Array(0), shape: [0, 4] };
      const r = evaluate(
        'repulsion',
        {
          input: e,
          target: e,
          gtBoxes: boxes(GT),
          assigned: { data: new Int32Array(0), shape: [0] },
        },
        {},
        { grad: true },
      );
      expect(r.value).toBe(0);
      expect(r.grads!.input.data.length).toBe(0);
    });
    it('has no repulsion terms with a single ground truth', () => {
      const one = {
        ...inputs(),
        gtBoxes: boxes([GT[0]]),
        assigned: { data: Int32Array.of(0, 0, 0), shape: [3] },
        target: boxes([GT[0], GT[0], GT[0]]),
      };
      expect(evaluate('repulsion', one).value).toBe(
        evaluate('repulsion', one, { alpha: 0, beta: 0 }).value,
      );
    });
    it('propagates NaN', () => {
      const x = inputs();
      x.input.data[0] = NaN;
      expect(evaluate('repulsion', x).value).toBeNaN();
    });
  });

  describe('errors', () => {
    it('rejects an assignment outside gtBoxes with E_RANGE', () => {
      expectLossError(
        () =>
          evaluate('repulsion', {
            ...inputs(),
            assigned: { data: Int32Array.of(0, 2, 0), shape: [3] },
          }),
        'E_RANGE',
        ["'assigned'", '[0, 1]', '2 at position 1'],
      );
    });
    it('rejects assignments of the wrong length and a mismatched target with E_SHAPE', () => {
      expectLossError(
        () =>
          evaluate('repulsion', {
            ...inputs(),
            assigned: { data: Int32Array.of(0, 1), shape: [2] },
          }),
        'E_SHAPE',
        ["'assigned'", '(3)'],
      );
      expectLossError(
        () => evaluate('repulsion', { ...inputs(), target: boxes([GT[0]]) }),
        'E_SHAPE',
        ["'target'"],
      );
    });
    it('rejects sigma = 1 with E_OPTION (Smooth_ln needs σ < 1)', () => {
      expectLossError(() => evaluate('repulsion', inputs(), { sigmaRepGt: 1 }), 'E_OPTION', [
        "option 'sigmaRepGt'",
      ]);
    });
    it('rejects a fractional assignment with E_TYPE', () => {
      expectLossError(
        () => evaluate('repulsion', { ...inputs(), assigned: [0, 1.5, 0] }),
        'E_TYPE',
        ["'assigned'"],
      );
    });
  });
});
