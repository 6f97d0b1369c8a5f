import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import {
  checkGradFD,
  expectClose,
  expectLossError,
  expectTensorClose,
  seededRandom,
} from '../../test-support/check.js';
import { decodeOptions, decodeTensor, goldenTests, loadGolden } from '../../test-support/golden.js';
import { ctc, MAX_CTC_LATTICE_CELLS } from './ctc.js';

/** A (T, N, C) tensor of per-frame log-softmax rows from a seeded generator. */
function logSoftmaxInput(T: number, N: number, C: number, seed: number): Tensor<Float64Array> {
  const rand = seededRandom(seed);
  const data = new Float64Array(T * N * C);
  for (let r = 0; r < T * N; r++) {
    let z = 0;
    for (let c = 0; c < C; c++) {
      data[r * C + c] = 3 * (rand() - 0.5);
      z += Math.exp(data[r * C + c]);
    }
    for (let c = 0; c < C; c++) data[r * C + c] -= Math.log(z);
  }
  return { data, shape: [T, N, C] };
}

/** −log Σ over every path π ∈ C^Tn that collapses (merge repeats, drop blanks) to the target. */
function bruteForce(lp: Tensor, n: number, target: number[], Tn: number, blank: number): number {
  const [, N, C] = lp.shape;
  let p = 0;
  const path = new Array<number>(Tn).fill(0);
  const total = C ** Tn;
  for (let k = 0; k < total; k++) {
    let r = k;
    for (let t = 0; t < Tn; t++) {
      path[t] = r % C;
      r = Math.floor(r / C);
    }
    const collapsed: number[] = [];
    for (let t = 0; t < Tn; t++) {
      if (path[t] !== blank && (t === 0 || path[t] !== path[t - 1])) collapsed.push(path[t]);
    }
    if (collapsed.length !== target.length || collapsed.some((v, i) => v !== target[i])) continue;
    let lpSum = 0;
    for (let t = 0; t < Tn; t++) lpSum += lp.data[(t * N + n) * C + path[t]];
    p += Math.exp(lpSum);
  }
  return -Math.log(p);
}

const lp = logSoftmaxInput(5, 3, 3, 11);
const targets = { data: Int32Array.of(1, 2, 1, 1, 2, 0, 2, 0, 0), shape: [3, 3] };
const inputLengths = [5, 4, 3];
const targetLengths = [3, 1, 1];

describe('ctc', () => {
  describe('golden values (torch ctc_loss; true gradient by autograd through the forward recursion)', () => {
    goldenTests('ctc', { rtol: 1e-11 });
  });

  describe("relation to torch's gradient", () => {
    const golden = loadGolden('ctc');
    for (const c of golden.cases) {
      it(`gives torch's logits gradient when chained through log_softmax on '${c.name}'`, () => {
        const x = decodeTensor(c.inputs.logProbs);
        const [T, N, C] = x.shape;
        const inputs = Object.fromEntries(
          Object.entries(c.inputs).map(([k, v]) => [k, decodeTensor(v)]),
        );
        const up =
          c.upstream === null
            ? undefined
            : typeof c.upstream === 'object'
              ? decodeTensor(c.upstream)
              : (c.upstream as number);
        const g = evaluate('ctc', inputs, decodeOptions(c.options), { grad: true, upstream: up })
          .grads!.logProbs;
        // Treat logProbs as log_softmax(z): dL/dz_c = g_c − softmax(z)_c · Σ_c' g_c', softmax(z) = exp(logProbs)
        // when the rows are normalised; torch's ctc backward returns exactly this dL/dz.
        const chained = new Float64Array(T * N * C);
        let normalised = true;
        for (let r = 0; r < T * N; r++) {
          let gs = 0;
          let ps = 0;
          for (let k = 0; k < C; k++) {
            gs += g.data[r * C + k];
            ps += Math.exp(x.data[r * C + k]);
          }
          if (Math.abs(ps - 1) > 1e-12) normalised = false;
          for (let k = 0; k < C; k++)
            chained[r * C + k] = g.data[r * C + k] - Math.exp(x.data[r * C + k]) * gs;
        }
        const torchGrad = decodeTensor(
          (c as unknown as { torchGrad: Parameters<typeof decodeTensor>[0] }).torchGrad,
        );
        // softmax(z) − occupancy: the same whether or not the rows are normalised (Σ occupancy = 1)
        expect(normalised || c.name.includes('unnormalised')).toBe(true);
        expectTensorClose(
          { data: chained, shape: x.shape },
          torchGrad,
          { rtol: 1e-9, atol: 1e-12 },
          'chained',
        );
      });
    }
    it('differs from torch by exp(logProbs) on live frames: torch is not the derivative in logProbs', () => {
      const { grads } = ctc.valueAndGrad(lp, targets, inputLengths, targetLengths, {
        reduction: 'sum',
      });
      // occupancies sum to 1 per live frame, so the true gradient rows sum to −1; torch's rows sum to 0
      for (let n = 0; n < 3; n++) {
        for (let t = 0; t < 5; t++) {
          let s = 0;
          for (let k = 0; k < 3; k++) s += grads.logProbs.data[(t * 3 + n) * 3 + k];
          expectClose(s, t < inputLengths[n] ? -1 : 0, { rtol: 1e-13, atol: 1e-15 });
        }
      }
    });
  });

  describe('gradients', () => {
    it('matches central finite differences for every reduction (uneven lengths, repeats, blank 2)', () => {
      for (const reduction of ['mean', 'sum', 'none'])
        checkGradFD(
          'ctc',
          {
            logProbs: lp,
            targets,
            inputLengths: toI(inputLengths),
            targetLengths: toI(targetLengths),
          },
          { reduction },
        );
      const t2 = { data: Int32Array.of(1, 0, 1, 0, 0, 0, 1, 1, 1), shape: [3, 3] };
      checkGradFD(
        'ctc',
        {
          logProbs: lp,
          targets: t2,
          inputLengths: toI(inputLengths),
          targetLengths: toI([3, 0, 2]),
        },
        { blank: 2, reduction: 'sum' },
      );
    });
  });

  describe('identities', () => {
    it('equals the brute-force sum over all alignments', () => {
      const v = ctc(lp, targets, inputLengths, targetLengths, { reduction: 'none' });
      expectClose(v.data[0], bruteForce(lp, 0, [1, 2, 1], 5, 0), { rtol: 1e-12 });
      expectClose(v.data[1], bruteForce(lp, 1, [1], 4, 0), { rtol: 1e-12 });
      expectClose(v.data[2], bruteForce(lp, 2, [2], 3, 0), { rtol: 1e-12 });
      const v2 = ctc(
        lp,
        { data: Int32Array.of(0, 0, 1, 1, 0, 0, 0, 0, 0), shape: [3, 3] },
        inputLengths,
        [3, 1, 0],
        { blank: 2, reduction: 'none' },
      );
      expectClose(v2.data[0], bruteForce(lp, 0, [0, 0, 1], 5, 2), { rtol: 1e-12 });
      expectClose(v2.data[1], bruteForce(lp, 1, [1], 4, 2), { rtol: 1e-12 });
      expectClose(v2.data[2], bruteForce(lp, 2, [], 3, 2), { rtol: 1e-12 });
    });
    it("reproduces the two-frame toy: paths '11', '_1', '1_' give p = 0.82", () => {
      // alignments of [1] over 2 frames with probs [[0.6, 0.4], [0.3, 0.7]] (blank 0):
      // '11' 0.4·0.7 + '_1' 0.6·0.7 + '1_' 0.4·0.3 = 0.28 + 0.42 + 0.12 = 0.82 (papers.md: 0.198451)
      const x = [[[Math.log(0.6), Math.log(0.4)]], [[Math.log(0.3), Math.log(0.7)]]];
      expectClose(ctc(x, [[1]], [2], [1]), -Math.log(0.82), { rtol: 1e-14 });
    });
    it('gives the padded and the concatenated target forms the same value and gradient', () => {
      const a = ctc.valueAndGrad(lp, targets, inputLengths, targetLengths);
      const b = ctc.valueAndGrad(lp, [1, 2, 1, 1, 2], inputLengths, targetLengths);
      expect(b.value).toBe(a.value);
      expect(Array.from(b.grads.logProbs.data)).toEqual(Array.from(a.grads.logProbs.data));
    });
    it('ignores the values of padded target entries and of frames past the input length', () => {
      const padded = { data: Int32Array.of(1, 2, 1, 1, -7, 99, 2, 5, 0), shape: [3, 3] };
      const x2 = { data: lp.data.slice(), shape: lp.shape };
      x2.data[(4 * 3 + 1) * 3] = NaN; // frame 4 of sample 1 (input length 4)
      expect(ctc(x2, padded, inputLengths, targetLengths)).toBe(
        ctc(lp, targets, inputLengths, targetLengths),
      );
    });
  });

  describe('reductions', () => {
    it("divides each loss by max(targetLength, 1) and then averages under 'mean'", () => {
      const none = ctc(lp, targets, inputLengths, [3, 0, 1], { reduction: 'none' });
      const want = (none.data[0] / 3 + none.data[1] / 1 + none.data[2] / 1) / 3;
      expectClose(ctc(lp, targets, inputLengths, [3, 0, 1]), want, { rtol: 1e-15 });
      expectClose(
        ctc(lp, targets, inputLengths, [3, 0, 1], { reduction: 'sum' }),
        none.data[0] + none.data[1] + none.data[2],
        { rtol: 1e-15 },
      );
    });
  });

  describe('edge cases', () => {
    it('gives +Infinity and a NaN gradient for an infeasible sample, 0 and zero gradient with zeroInfinity', () => {
      // [1, 1] needs 3 frames (a blank between the copies); sample 1 has 2
      const t = { data: Int32Array.of(1, 2, 1, 1, 1, 0, 2, 0, 0), shape: [3, 3] };
      const il = [5, 2, 3];
      const tl = [3, 2, 1];
      const r = ctc.valueAndGrad(lp, t, il, tl, { reduction: 'none' });
      expect(r.value.data[1]).toBe(Infinity);
      expect(Number.isFinite(r.value.data[0])).toBe(true);
      const g = r.grads.logProbs.data;
      for (let f = 0; f < 5; f++)
        for (let k = 0; k < 3; k++) {
          const v = g[(f * 3 + 1) * 3 + k];
          if (f < 2) expect(v).toBeNaN();
          else expect(v).toBe(0);
          expect(Number.isFinite(g[(f * 3 + 0) * 3 + k])).toBe(true);
        }
      const z = ctc.valueAndGrad(lp, t, il, tl, { reduction: 'none', zeroInfinity: true });
      expect(z.value.data[1]).toBe(0);
      expect(z.value.data[0]).toBe(r.value.data[0]);
      for (let f = 0; f < 5; f++)
        for (let k = 0; k < 3; k++) expect(z.grads.logProbs.data[(f * 3 + 1) * 3 + k]).toBe(0);
    });
    it('gives 0 for an empty input with an empty target, +Infinity for an empty input with a label', () => {
      expect(ctc(lp, targets, [0, 4, 3], [0, 1, 1], { reduction: 'none' }).data[0]).toBe(-0);
      expect(ctc(lp, targets, [0, 4, 3], [1, 1, 1], { reduction: 'none' }).data[0]).toBe(Infinity);
    });
    it('gives −log p(label) for one frame and one label, −log p(blank) for an empty target', () => {
      const x = [[[Math.log(0.2), Math.log(0.5), Math.log(0.3)]]];
      const one = ctc.valueAndGrad(x, [[2]], [1], [1], { reduction: 'sum' });
      expect(one.value).toBe(-Math.log(0.3));
      // the only alignment emits class 2 at frame 0: occupancy 1 there, 0 elsewhere
      expect(Array.from(one.grads.logProbs.data)).toEqual([-0, -0, -1]);
      expect(ctc(x, [[2]], [1], [0], { reduction: 'sum' })).toBe(-Math.log(0.2));
    });
    it('gives 0 for an empty batch', () => {
      const empty = { data: new Float64Array(0), shape: [4, 0, 3] };
      const e = { data: new Int32Array(0), shape: [0] };
      expect(ctc(empty, { data: new Int32Array(0), shape: [0, 2] }, e, e)).toBe(0);
    });
    it('propagates NaN on a live frame to the loss and the gradient of its sample', () => {
      const x2 = { data: lp.data.slice(), shape: lp.shape };
      x2.data[(1 * 3 + 2) * 3 + 2] = NaN; // class 2 is sample 2's label
      const r = ctc.valueAndGrad(x2, targets, inputLengths, targetLengths, { reduction: 'none' });
      expect(r.value.data[2]).toBeNaN();
      expect(r.grads.logProbs.data[2 * 3]).toBeNaN();
      expect(Number.isFinite(r.value.data[0])).toBe(true);
    });
    it('stays finite on a long sequence where the path probability underflows float64', () => {
      const T = 1200;
      const x = logSoftmaxInput(T, 1, 6, 5);
      const lab = Array.from({ length: 300 }, (_, i) => 1 + (i % 5));
      const r = ctc.valueAndGrad(x, [lab], [T], [300], { reduction: 'sum' });
      expect(r.value).toBeGreaterThan(745); // p < 1e-323 is not representable; the log-space loss is fine
      expect(Number.isFinite(r.value)).toBe(true);
      expect(r.grads.logProbs.data.every((v) => Number.isFinite(v))).toBe(true);
    });
    it('keeps float32 under none', () => {
      const x = { data: Float32Array.from(lp.data), shape: lp.shape };
      expect(
        ctc(x, targets, inputLengths, targetLengths, { reduction: 'none' }).data,
      ).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    const il = toI(inputLengths);
    const tl = toI(targetLengths);
    it('rejects a blank inside a target (E_RANGE)', () => {
      expectLossError(
        () => ctc(lp, { data: Int32Array.of(1, 0, 1, 1, 0, 0, 2, 0, 0), shape: [3, 3] }, il, tl),
        'E_RANGE',
        ['ctc', "'targets'", 'other than blank = 0', '0 at position 1 of sample 0'],
      );
    });
    it('rejects a label outside [0, C) (E_RANGE)', () => {
      expectLossError(
        () => ctc(lp, { data: Int32Array.of(1, 3, 1, 1, 0, 0, 2, 0, 0), shape: [3, 3] }, il, tl),
        'E_RANGE',
        ['[0, 2]', '3 at position 1'],
      );
    });
    it('rejects a target length beyond the padded width and an input length beyond T (E_RANGE)', () => {
      expectLossError(() => ctc(lp, targets, il, [4, 1, 1]), 'E_RANGE', [
        "'targetLengths'",
        'S = 3',
        '4 for sample 0',
      ]);
      expectLossError(() => ctc(lp, targets, [6, 1, 1], tl), 'E_RANGE', [
        "'inputLengths'",
        'T = 5',
        '6 for sample 0',
      ]);
      expectLossError(() => ctc(lp, targets, [-1, 1, 1], tl), 'E_RANGE', ["'inputLengths'", '-1']);
    });
    it('refuses a lattice past 2^26 cells with E_RANGE before allocating it', () => {
      // T = 8193 frames of 2 classes and one target of 4096 labels: the lattice has
      // 8193 · (2·4096 + 1) = 8193² = 67,125,249 cells > 2^26 = 67,108,864, while the inputs hold
      // only 16,386 + 4,096 numbers.
      const T = 8193;
      const big = { data: new Float64Array(T * 2).fill(Math.log(0.5)), shape: [T, 1, 2] };
      const labels = { data: new Int32Array(4096).fill(1), shape: [1, 4096] };
      expectLossError(() => ctc(big, labels, [T], [4096]), 'E_RANGE', [
        "'inputLengths' and 'targetLengths'",
        `at most ${MAX_CTC_LATTICE_CELLS} lattice cells`,
        '8193 · 8193 = 67125249 cells',
      ]);
      // One frame fewer fits: 8192 · 8193 = 67,117,056 is still above, 8191 · 8193 is below; the
      // largest feasible T for 4096 labels is 8191 (2^26 / 8193 = 8191.1), so the check is exact.
      expectLossError(
        () =>
          ctc(
            { data: big.data.subarray(0, 8192 * 2), shape: [8192, 1, 2] },
            labels,
            [8192],
            [4096],
          ),
        'E_RANGE',
        ['8192 · 8193 = 67117056 cells'],
      );
    });
    it('rejects lengths or targets of the wrong shape (E_SHAPE)', () => {
      expectLossError(() => ctc(lp, targets, [5, 4], tl), 'E_SHAPE', ["'inputLengths'", '[3]']);
      expectLossError(() => ctc(lp, [[1, 2]], il, tl), 'E_SHAPE', ["'targets'"]);
      expectLossError(() => ctc(lp, [1, 2, 1], il, tl), 'E_SHAPE', [
        "'targets'",
        'the 5 concatenated labels',
      ]);
      expectLossError(() => ctc([[0.1]], targets, il, tl), 'E_SHAPE', ["'logProbs'", '(T, N, C)']);
    });
    it('rejects a blank outside the classes (E_OPTION)', () => {
      expectLossError(() => ctc(lp, targets, il, tl, { blank: 3 }), 'E_OPTION', [
        "'blank'",
        '[0, 2]',
        'blank=3',
      ]);
    });
    it('rejects fractional target ids (E_TYPE)', () => {
      expectLossError(
        () =>
          evaluate('ctc', {
            logProbs: lp,
            targets: [
              [1.5, 1, 1],
              [1, 1, 1],
              [1, 1, 1],
            ],
            inputLengths: il,
            targetLengths: tl,
          }),
        'E_TYPE',
        ["'targets'"],
      );
    });
  });
});

function toI(a: number[]): { data: Int32Array; shape: number[] } {
  return { data: Int32Array.from(a), shape: [a.length] };
}
