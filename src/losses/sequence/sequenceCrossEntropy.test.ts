import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { decodeTensor, goldenTests, loadGolden } from '../../test-support/golden.js';
import { perplexity, sequenceCrossEntropy } from './sequenceCrossEntropy.js';

const N = 2;
const T = 3;
const V = 4;
const input = tensorOf([N, T, V], (i) => Math.sin(1.3 * i + 0.4) * 2);
const target = { data: Int32Array.of(0, 3, -100, 2, 1, 1), shape: [N, T] };

/** −log softmax(x at position p)_v, computed directly. */
function nlp(x: Tensor, p: number, v: number): number {
  let z = 0;
  for (let k = 0; k < V; k++) z += Math.exp(x.data[p * V + k]);
  return Math.log(z) - x.data[p * V + v];
}

describe('sequenceCrossEntropy', () => {
  describe('golden values (torch cross_entropy, fairseq label_smoothed_nll_loss)', () => {
    goldenTests('sequenceCrossEntropy', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches central finite differences for every reduction and smoothing style', () => {
      for (const reduction of ['tokenMean', 'sentenceMean', 'sum', 'none']) {
        for (const [labelSmoothing, smoothingStyle] of [
          [0, 'uniform'],
          [0.2, 'uniform'],
          [0.2, 'fairseq'],
        ] as const) {
          checkGradFD(
            'sequenceCrossEntropy',
            { input, target },
            { reduction, labelSmoothing, smoothingStyle },
          );
        }
      }
    });
    it('has zero gradient rows at padding positions and rows summing to 0 elsewhere', () => {
      const { grads } = sequenceCrossEntropy.valueAndGrad(input, target, {
        labelSmoothing: 0.1,
        reduction: 'sum',
      });
      for (let p = 0; p < N * T; p++) {
        let s = 0;
        for (let v = 0; v < V; v++) s += grads.input.data[p * V + v];
        if (p === 2) {
          for (let v = 0; v < V; v++) expect(grads.input.data[p * V + v]).toBe(0);
        } else expect(Math.abs(s)).toBeLessThan(1e-15);
      }
    });
  });

  describe('identities', () => {
    it('equals the hand-computed smoothed cross-entropy, token by token', () => {
      const eps = 0.3;
      const none = sequenceCrossEntropy(input, target, {
        labelSmoothing: eps,
        reduction: 'none',
      });
      for (let p = 0; p < N * T; p++) {
        const y = target.data[p];
        if (y === -100) {
          expect(none.data[p]).toBe(0);
          continue;
        }
        // uniform: (1 − ε)·nll + (ε/V)·Σ_v −log p_v
        let smooth = 0;
        for (let v = 0; v < V; v++) smooth += nlp(input, p, v);
        expectClose(none.data[p], (1 - eps) * nlp(input, p, y) + (eps / V) * smooth, {
          rtol: 1e-13,
        });
      }
    });
    it("gives fairseq's ε the same loss as uniform smoothing with ε·V/(V − 1)", () => {
      // fairseq: target 1 − ε, others ε/(V−1); uniform ε': target 1 − ε' + ε'/V, others ε'/V.
      // ε'/V = ε/(V−1) gives ε' = εV/(V−1) and then 1 − ε'(V−1)/V = 1 − ε: the same distribution.
      const eps = 0.15;
      const a = sequenceCrossEntropy.valueAndGrad(input, target, {
        labelSmoothing: eps,
        smoothingStyle: 'fairseq',
      });
      const b = sequenceCrossEntropy.valueAndGrad(input, target, {
        labelSmoothing: (eps * V) / (V - 1),
      });
      expectClose(a.value, b.value, { rtol: 1e-14 });
      for (let i = 0; i < input.data.length; i++)
        expectClose(a.grads.input.data[i], b.grads.input.data[i], { rtol: 1e-12, atol: 1e-15 });
    });
    it('gives perplexity = exp(unsmoothed tokenMean), ignoring the labelSmoothing of training', () => {
      const tm = sequenceCrossEntropy(input, target);
      expect(perplexity(input, target)).toBe(Math.exp(tm));
      // with padding id 1 the three 1-targets drop out
      const t1 = { data: Int32Array.of(0, 3, 1, 2, 1, 1), shape: [N, T] };
      const tm1 = sequenceCrossEntropy(input, t1, { ignoreIndex: 1 });
      expect(perplexity(input, t1, { ignoreIndex: 1 })).toBe(Math.exp(tm1));
    });
    it('matches the golden unsmoothed token mean through perplexity', () => {
      const c = loadGolden('sequenceCrossEntropy').cases.find(
        (k) => k.name === 'uniform eps=0.0 reduction=tokenMean',
      )!;
      const want = Math.exp(c.value as number);
      const got = perplexity(decodeTensor(c.inputs.input), decodeTensor(c.inputs.target));
      expectClose(got, want, { rtol: 1e-12 });
    });
    it('gives perplexity V for uniform logits (every token equally likely)', () => {
      const flat = tensorOf([1, 2, 5], () => 0.25);
      expectClose(perplexity(flat, [[1, 4]]), 5, { rtol: 1e-15 });
    });
  });

  describe('reductions', () => {
    it('divides the sum by the non-padding tokens (tokenMean) and by N (sentenceMean)', () => {
      const sum = sequenceCrossEntropy(input, target, { reduction: 'sum' });
      // 5 of the 6 positions are not padding
      expectClose(sequenceCrossEntropy(input, target), sum / 5, { rtol: 1e-15 });
      expectClose(sequenceCrossEntropy(input, target, { reduction: 'sentenceMean' }), sum / N, {
        rtol: 1e-15,
      });
      const none = sequenceCrossEntropy(input, target, { reduction: 'none' });
      expect(none.shape).toEqual([N, T]);
      expectClose(
        Array.from(none.data).reduce((a, b) => a + b, 0),
        sum,
        { rtol: 1e-14 },
      );
    });
    it('scales the tokenMean gradient by 1/tokens', () => {
      const s = sequenceCrossEntropy.valueAndGrad(input, target, { reduction: 'sum' });
      const m = sequenceCrossEntropy.valueAndGrad(input, target);
      for (let i = 0; i < input.data.length; i++)
        expectClose(m.grads.input.data[i], s.grads.input.data[i] / 5, { rtol: 1e-14, atol: 0 });
    });
  });

  describe('edge cases', () => {
    it('gives 0 with zero gradient for an empty batch and for all-padding batches', () => {
      const empty = { data: new Float64Array(0), shape: [0, 3, 4] };
      const et = { data: new Int32Array(0), shape: [0, 3] };
      for (const reduction of ['tokenMean', 'sentenceMean', 'sum'] as const)
        expect(sequenceCrossEntropy(empty, et, { reduction })).toBe(0);
      const pad = { data: Int32Array.of(-100, -100, -100, -100, -100, -100), shape: [N, T] };
      const { value, grads } = sequenceCrossEntropy.valueAndGrad(input, pad);
      expect(value).toBe(0);
      expect(grads.input.data.every((g) => g === 0)).toBe(true);
      expect(perplexity(input, pad)).toBe(1);
    });
    it('gives 0 for a vocabulary of one token, in both styles', () => {
      const one = tensorOf([1, 2, 1], (i) => i - 0.5);
      for (const smoothingStyle of ['uniform', 'fairseq'] as const) {
        const r = sequenceCrossEntropy.valueAndGrad(one, [[0, 0]], {
          labelSmoothing: 0.2,
          smoothingStyle,
        });
        expect(r.value).toBe(0);
        expect(Array.from(r.grads.input.data)).toEqual([0, 0]);
      }
    });
    it('propagates NaN to its token only', () => {
      const x = tensorOf([1, 2, 3], (i) => (i === 1 ? NaN : i * 0.1));
      const out = sequenceCrossEntropy(x, [[0, 1]], { reduction: 'none' });
      expect(out.data[0]).toBeNaN();
      expect(Number.isFinite(out.data[1])).toBe(true);
    });
    it('keeps float32 under none', () => {
      const x = { data: Float32Array.from(input.data), shape: input.shape };
      const out = sequenceCrossEntropy(x, target, { reduction: 'none' });
      expect(out.data).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => sequenceCrossEntropy(input, [[0, 1, 2]]), 'E_SHAPE', [
        'sequenceCrossEntropy',
        "'target'",
        '[2, 3]',
        '[1, 3]',
      ]);
    });
    it('rejects logits that are not (N, T, V) (E_SHAPE)', () => {
      expectLossError(() => sequenceCrossEntropy([[0.1, 0.2]], [0]), 'E_SHAPE', [
        "'input'",
        '(N, T, C)',
      ]);
    });
    it('rejects a token id outside the vocabulary that is not the padding id (E_RANGE)', () => {
      expectLossError(
        () => sequenceCrossEntropy(input, { data: Int32Array.of(0, 4, 1, 1, 1, 1), shape: [2, 3] }),
        'E_RANGE',
        ["'target'", '[0, 3]', 'ignore index -100', '4 at flat position 1'],
      );
    });
    it('rejects a non-integer token id (E_TYPE)', () => {
      expectLossError(
        () =>
          evaluate('sequenceCrossEntropy', {
            input,
            target: [
              [0, 1.5, 1],
              [1, 1, 1],
            ],
          }),
        'E_TYPE',
        ["'target'", '1.5'],
      );
    });
    it('rejects labelSmoothing outside [0, 1] and an unknown style (E_OPTION)', () => {
      expectLossError(
        () => sequenceCrossEntropy(input, target, { labelSmoothing: 1.5 }),
        'E_OPTION',
        ["'labelSmoothing'", '1.5'],
      );
      expectLossError(
        () => evaluate('sequenceCrossEntropy', { input, target }, { smoothingStyle: 'keras' }),
        'E_OPTION',
        ["'smoothingStyle'", 'keras'],
      );
    });
    it("rejects 'mean' as a reduction (it is tokenMean or sentenceMean here) (E_OPTION)", () => {
      expectLossError(
        () => evaluate('sequenceCrossEntropy', { input, target }, { reduction: 'mean' }),
        'E_OPTION',
        ["'reduction'", 'tokenMean'],
      );
    });
  });
});
