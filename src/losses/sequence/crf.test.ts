import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { decodeTensor, goldenTests, loadGolden } from '../../test-support/golden.js';
import { crf, viterbiDecode } from './crf.js';

const N = 3;
const T = 4;
const K = 3;
const emissions = tensorOf([N, T, K], (i) => Math.sin(0.7 * i + 0.3) * 1.5);
const tags = { data: Int32Array.of(0, 2, 1, 1, 2, 2, 0, 1, 1, 0, 0, 0), shape: [N, T] };
const mask = { data: Float64Array.of(1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0), shape: [N, T] };
const transitions = tensorOf([K, K], (i) => Math.cos(1.1 * i) * 0.6);
const startTransitions = tensorOf([K], (i) => 0.2 * i - 0.15);
const endTransitions = tensorOf([K], (i) => 0.1 - 0.12 * i);
const inputs = { emissions, tags, mask, transitions, startTransitions, endTransitions };

/** Score of a tag path over the first L steps of sample n. */
function pathScore(n: number, path: number[]): number {
  let s = startTransitions.data[path[0]] + emissions.data[n * T * K + path[0]];
  for (let i = 1; i < path.length; i++) {
    s += transitions.data[path[i - 1] * K + path[i]] + emissions.data[n * T * K + i * K + path[i]];
  }
  return s + endTransitions.data[path[path.length - 1]];
}

/** Every path of length L over K tags. */
function allPaths(L: number): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < K ** L; k++) {
    const p: number[] = [];
    let r = k;
    for (let i = 0; i < L; i++) {
      p.push(r % K);
      r = Math.floor(r / K);
    }
    out.push(p);
  }
  return out;
}

const lengths = [4, 2, 1];

function gold(n: number): number[] {
  return Array.from(tags.data.subarray(n * T, n * T + lengths[n]));
}

describe('crf', () => {
  describe('golden values (pytorch-crf transcribed in torch)', () => {
    goldenTests('crf', { rtol: 1e-11 });
  });

  describe('gradients', () => {
    it('matches central finite differences for every reduction and every differentiable input', () => {
      for (const reduction of ['mean', 'sum', 'tokenMean', 'none'])
        checkGradFD('crf', inputs, { reduction });
      const noMask = { emissions, tags, transitions, startTransitions, endTransitions };
      checkGradFD('crf', noMask, { reduction: 'sum' });
    });
    it('gives emission gradient rows summing to 0 on unmasked steps and 0 on masked steps', () => {
      const { grads } = crf.valueAndGrad(
        emissions,
        tags,
        mask,
        transitions,
        startTransitions,
        endTransitions,
        {
          reduction: 'sum',
        },
      );
      for (let n = 0; n < N; n++)
        for (let t = 0; t < T; t++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += grads.emissions.data[(n * T + t) * K + k];
          if (t < lengths[n]) expect(Math.abs(s)).toBeLessThan(1e-15);
          else
            for (let k = 0; k < K; k++) expect(grads.emissions.data[(n * T + t) * K + k]).toBe(0);
        }
    });
  });

  describe('identities', () => {
    it('has a partition function equal to the sum over all K^L tag sequences', () => {
      const v = crf(emissions, tags, mask, transitions, startTransitions, endTransitions, {
        reduction: 'none',
      });
      for (let n = 0; n < N; n++) {
        let z = 0;
        for (const p of allPaths(lengths[n])) z += Math.exp(pathScore(n, p));
        expectClose(v.data[n], Math.log(z) - pathScore(n, gold(n)), { rtol: 1e-13 });
      }
    });
    it('has marginals from brute force: the emission gradient is P(y_i = j) − [gold_i = j]', () => {
      const { grads } = crf.valueAndGrad(
        emissions,
        tags,
        mask,
        transitions,
        startTransitions,
        endTransitions,
        {
          reduction: 'sum',
        },
      );
      const n = 0;
      const paths = allPaths(4);
      let z = 0;
      const mu = new Float64Array(T * K);
      for (const p of paths) {
        const w = Math.exp(pathScore(n, p));
        z += w;
        p.forEach((j, i) => (mu[i * K + j] += w));
      }
      for (let i = 0; i < T; i++)
        for (let j = 0; j < K; j++) {
          const want = mu[i * K + j] / z - (gold(n)[i] === j ? 1 : 0);
          expectClose(grads.emissions.data[i * K + j], want, { rtol: 1e-12, atol: 1e-15 });
        }
    });
    it('decodes the highest-scoring sequence, equal to the brute-force argmax', () => {
      const paths = viterbiDecode({
        emissions,
        transitions,
        startTransitions,
        endTransitions,
        mask,
      });
      expect(paths.map((p) => p.length)).toEqual(lengths);
      for (let n = 0; n < N; n++) {
        let best: number[] = [];
        let bestScore = -Infinity;
        for (const p of allPaths(lengths[n])) {
          const s = pathScore(n, p);
          if (s > bestScore) {
            bestScore = s;
            best = p;
          }
        }
        expect(paths[n]).toEqual(best);
      }
    });
    it("decodes as pytorch-crf's decode on every golden case", () => {
      for (const c of loadGolden('crf').cases) {
        const d = Object.fromEntries(
          Object.entries(c.inputs).map(([k, v]) => [k, decodeTensor(v)]),
        ) as Record<string, Tensor>;
        const want = (c as unknown as { decode: number[][] }).decode;
        expect(
          viterbiDecode({
            emissions: d.emissions,
            transitions: d.transitions,
            startTransitions: d.startTransitions,
            endTransitions: d.endTransitions,
            ...(d.mask ? { mask: d.mask } : {}),
          }),
          c.name,
        ).toEqual(want);
      }
    });
    it('breaks decoding ties towards the lowest tag id (torch max returns the first maximum)', () => {
      const zeros = tensorOf([1, 3, 3], () => 0);
      const z3 = tensorOf([3], () => 0);
      expect(
        viterbiDecode({
          emissions: zeros,
          transitions: tensorOf([3, 3], () => 0),
          startTransitions: z3,
          endTransitions: z3,
        }),
      ).toEqual([[0, 0, 0]]);
    });
    it('gives the decoded path the lowest loss among all sequences', () => {
      const [best] = viterbiDecode({ emissions, transitions, startTransitions, endTransitions });
      const lossOf = (p: number[]): number =>
        crf(
          { data: emissions.data.slice(0, T * K), shape: [1, T, K] },
          [p],
          undefined,
          transitions,
          startTransitions,
          endTransitions,
        );
      const bestLoss = lossOf(best);
      for (const p of allPaths(T)) expect(lossOf(p)).toBeGreaterThanOrEqual(bestLoss);
    });
    it('ignores the tag values and emissions of masked steps (even non-finite ones)', () => {
      const t2 = { data: tags.data.slice(), shape: tags.shape };
      t2.data[1 * T + 3] = 0; // masked
      const e2 = { data: emissions.data.slice(), shape: emissions.shape };
      e2.data[(1 * T + 2) * K + 1] = NaN;
      e2.data[(2 * T + 3) * K + 0] = Infinity;
      expect(
        crf(e2, t2, mask, transitions, startTransitions, endTransitions, { reduction: 'sum' }),
      ).toBe(
        crf(emissions, tags, mask, transitions, startTransitions, endTransitions, {
          reduction: 'sum',
        }),
      );
    });
  });

  describe('scores beyond the float64 exponent range', () => {
    // K = 2, T = 4: step 0 prefers tag 0 by 800, later steps prefer tag 1 by 2000 and switching 0 → 1
    // costs 1000, so the best path (1, 1, 1, 1) leaves from a state e^−800 below the best at step 0:
    // the factorised sums underflow to 0 and the forward and backward steps need the log-space fallback.
    const K2 = 2;
    const T2 = 4;
    const e = [0, -800, -2000, 0, -2000, 0, -2000, 0];
    const A = [0, -1000, -900, 0];
    const st = [0, -2];
    const en = [-1, 0];
    const score = (p: number[]): number => {
      let v = st[p[0]] + e[p[0]];
      for (let i = 1; i < T2; i++) v += A[p[i - 1] * K2 + p[i]] + e[i * K2 + p[i]];
      return v + en[p[T2 - 1]];
    };
    const paths: number[][] = [];
    for (let k = 0; k < 2 ** T2; k++) paths.push([0, 1, 2, 3].map((i) => (k >> i) & 1));
    const scores = paths.map(score);
    const m = Math.max(...scores);
    const logZ = m + Math.log(scores.reduce((acc, v) => acc + Math.exp(v - m), 0));
    const gold = [0, 1, 1, 1];
    const args = [
      { data: Float64Array.from(e), shape: [1, T2, K2] },
      [gold],
      undefined,
      { data: Float64Array.from(A), shape: [K2, K2] },
      st,
      en,
    ] as const;
    it('matches the log-space brute-force partition function', () => {
      expectClose(crf(...args), logZ - score(gold), { rtol: 1e-14 });
    });
    it('matches brute-force marginals for emissions and transitions', () => {
      const { grads } = crf.valueAndGrad(...args, { reduction: 'sum' });
      const mu = new Float64Array(T2 * K2);
      const xi = new Float64Array(K2 * K2);
      paths.forEach((p, idx) => {
        const w = Math.exp(scores[idx] - logZ);
        p.forEach((j, i) => {
          mu[i * K2 + j] += w;
          if (i > 0) xi[p[i - 1] * K2 + j] += w;
        });
      });
      for (let i = 0; i < T2; i++)
        for (let j = 0; j < K2; j++)
          expectClose(grads.emissions.data[i * K2 + j], mu[i * K2 + j] - (gold[i] === j ? 1 : 0), {
            rtol: 1e-12,
            atol: 1e-15,
          });
      for (let k = 0; k < K2; k++)
        for (let j = 0; j < K2; j++) {
          let count = 0;
          for (let i = 1; i < T2; i++) if (gold[i - 1] === k && gold[i] === j) count++;
          expectClose(grads.transitions.data[k * K2 + j], xi[k * K2 + j] - count, {
            rtol: 1e-12,
            atol: 1e-15,
          });
        }
    });
  });

  describe('reductions', () => {
    it("averages over sequences ('mean') or over unmasked tokens ('tokenMean')", () => {
      const none = crf(emissions, tags, mask, transitions, startTransitions, endTransitions, {
        reduction: 'none',
      });
      const s = none.data[0] + none.data[1] + none.data[2];
      expectClose(
        crf(emissions, tags, mask, transitions, startTransitions, endTransitions, {
          reduction: 'sum',
        }),
        s,
        { rtol: 1e-15 },
      );
      expectClose(
        crf(emissions, tags, mask, transitions, startTransitions, endTransitions),
        s / 3,
        { rtol: 1e-15 },
      );
      // 4 + 2 + 1 unmasked tokens
      expectClose(
        crf(emissions, tags, mask, transitions, startTransitions, endTransitions, {
          reduction: 'tokenMean',
        }),
        s / 7,
        { rtol: 1e-15 },
      );
    });
  });

  describe('edge cases', () => {
    it('gives 0 for an empty batch (zero gradients) and for T = 0', () => {
      const r = crf.valueAndGrad(
        { data: new Float64Array(0), shape: [0, 4, 3] },
        { data: new Int32Array(0), shape: [0, 4] },
        undefined,
        transitions,
        startTransitions,
        endTransitions,
      );
      expect(r.value).toBe(0);
      expect(Array.from(r.grads.transitions.data)).toEqual(new Array(9).fill(0));
      expect(
        crf(
          { data: new Float64Array(0), shape: [2, 0, 3] },
          { data: new Int32Array(0), shape: [2, 0] },
          undefined,
          transitions,
          startTransitions,
          endTransitions,
        ),
      ).toBe(0);
      expect(
        viterbiDecode({
          emissions: { data: new Float64Array(0), shape: [2, 0, 3] },
          transitions,
          startTransitions,
          endTransitions,
        }),
      ).toEqual([[], []]);
    });
    it('gives 0 with one tag (a single possible sequence)', () => {
      const r = crf.valueAndGrad([[[0.3], [-1.2]]], [[0, 0]], undefined, [[0.5]], [0.1], [0.2]);
      expectClose(r.value, 0, { atol: 1e-16 });
      expect(Math.abs(r.grads.transitions.data[0])).toBeLessThan(1e-16);
    });
    it('gives +Infinity when the gold path uses a forbidden (−Infinity) transition', () => {
      const tr = { data: transitions.data.slice(), shape: transitions.shape };
      tr.data[0 * K + 2] = -Infinity; // 0 → 2, used by sequence 0 at step 1
      const v = crf(emissions, tags, mask, tr, startTransitions, endTransitions, {
        reduction: 'none',
      });
      expect(v.data[0]).toBe(Infinity);
      expect(Number.isFinite(v.data[1])).toBe(true);
    });
    it('stays finite for very large scores (log-space forward–backward)', () => {
      const big = { data: emissions.data.map((x) => x * 1e3), shape: emissions.shape };
      const r = crf.valueAndGrad(big, tags, mask, transitions, startTransitions, endTransitions);
      expect(Number.isFinite(r.value)).toBe(true);
      expect(r.grads.emissions.data.every((g) => Number.isFinite(g))).toBe(true);
    });
    it('accepts a boolean mask and keeps float32 under none', () => {
      const bmask = [
        [true, true, true, true],
        [true, true, false, false],
        [true, false, false, false],
      ];
      expect(crf(emissions, tags, bmask, transitions, startTransitions, endTransitions)).toBe(
        crf(emissions, tags, mask, transitions, startTransitions, endTransitions),
      );
      const e32 = { data: Float32Array.from(emissions.data), shape: emissions.shape };
      expect(
        crf(e32, tags, mask, transitions, startTransitions, endTransitions, { reduction: 'none' })
          .data,
      ).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    it('rejects a mask whose first step is off (E_RANGE)', () => {
      const m = { data: Float64Array.of(1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0), shape: [N, T] };
      expectLossError(() => evaluate('crf', { ...inputs, mask: m }), 'E_RANGE', [
        'crf',
        "'mask'",
        'first timestep',
        'mask[1, 0] = 0',
      ]);
    });
    it('rejects a mask that is not left-aligned (E_RANGE)', () => {
      const m = { data: Float64Array.of(1, 1, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0), shape: [N, T] };
      expectLossError(() => evaluate('crf', { ...inputs, mask: m }), 'E_RANGE', [
        'left-aligned',
        'sequence 0, step 3',
      ]);
      expectLossError(
        () => viterbiDecode({ emissions, transitions, startTransitions, endTransitions, mask: m }),
        'E_RANGE',
        ['viterbiDecode', 'left-aligned'],
      );
    });
    it('rejects a mask value other than 0/1 (E_RANGE)', () => {
      const m = { data: Float64Array.of(1, 0.5, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0), shape: [N, T] };
      expectLossError(() => evaluate('crf', { ...inputs, mask: m }), 'E_RANGE', [
        '0/1',
        '0.5 at sequence 0, step 1',
      ]);
    });
    it('rejects a tag out of range, also under the mask (E_RANGE)', () => {
      const t2 = { data: tags.data.slice(), shape: tags.shape };
      t2.data[11] = 3;
      expectLossError(() => evaluate('crf', { ...inputs, tags: t2 }), 'E_RANGE', [
        "'tags'",
        '[0, 2]',
        '3 at flat position 11',
      ]);
    });
    it('rejects transitions, start or end scores of the wrong shape (E_SHAPE)', () => {
      expectLossError(() => evaluate('crf', { ...inputs, transitions: [[1, 2]] }), 'E_SHAPE', [
        "'transitions'",
        '[3, 3]',
      ]);
      expectLossError(() => evaluate('crf', { ...inputs, startTransitions: [1, 2] }), 'E_SHAPE', [
        "'startTransitions'",
        '[3]',
      ]);
      expectLossError(() => evaluate('crf', { ...inputs, endTransitions: [1] }), 'E_SHAPE', [
        "'endTransitions'",
      ]);
      expectLossError(() => evaluate('crf', { ...inputs, tags: [[0, 1]] }), 'E_SHAPE', [
        "'tags'",
        '[3, 4]',
      ]);
    });
    it('rejects fractional tags (E_TYPE) and a missing input of viterbiDecode (E_INPUT)', () => {
      expectLossError(
        () =>
          evaluate('crf', {
            ...inputs,
            tags: { data: [0.5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], shape: [3, 4] },
          }),
        'E_TYPE',
        ["'tags'"],
      );
      expectLossError(
        () => viterbiDecode({ emissions, transitions, startTransitions } as never),
        'E_INPUT',
        ["'endTransitions'"],
      );
    });
  });
});
