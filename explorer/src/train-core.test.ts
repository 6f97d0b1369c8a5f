/**
 * The training demo's model (explorer/src/train-core.ts), in Node: the data set is seeded and
 * imbalanced, the weight gradient built from losskit's logit gradients agrees with finite differences of
 * the loss, evaluate fills the caller-owned buffer, the reported recall is TP / (TP + FN) at logit 0,
 * and class-balanced weighting finds more of the minority class than plain BCE.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/index.js';
import {
  DATA_SIZE,
  FEATURES,
  makeData,
  MINORITY_SHARE,
  Trainer,
  TRAIN_LOSSES,
} from './train-core.js';

describe('the training demo model', () => {
  it('builds the same imbalanced data set from the same seed, inside [-1, 1]²', () => {
    const a = makeData();
    const b = makeData();
    expect(a.points).toEqual(b.points);
    expect(a.labels).toEqual(b.labels);
    expect(a.n).toBe(DATA_SIZE);
    // positives = round(600 · 0.08) = 48 by construction.
    expect(a.positives).toBe(Math.round(DATA_SIZE * MINORITY_SHARE));
    expect(a.labels.reduce((s, v) => s + v, 0)).toBe(a.positives);
    for (const v of a.points) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    expect(makeData(16).points).not.toEqual(a.points);
  });

  const options: Record<string, Record<string, unknown>> = {
    bceWithLogits: {},
    weightedBce: { balanced: true },
    sigmoidFocal: { gamma: 2, alpha: 0.75 },
  };

  for (const id of TRAIN_LOSSES) {
    it(`${id}: the weight gradient φᵀ·∂loss/∂logits matches central finite differences`, () => {
      const t = new Trainer(makeData(), id, options[id]);
      const w0 = [0.3, -0.5, 0.8, -1.1, 0.6, 0.4];
      t.weights.set(w0);
      t.lossAndGrad();
      const analytic = Array.from(t.gradWeights);
      const h = 1e-6;
      for (let f = 0; f < FEATURES; f += 1) {
        t.weights.set(w0);
        t.weights[f] += h;
        const up = t.lossAndGrad();
        t.weights.set(w0);
        t.weights[f] -= h;
        const down = t.lossAndGrad();
        const fd = (up - down) / (2 * h);
        expect(Math.abs(analytic[f] - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
      }
    });
  }

  it('has evaluate fill the one gradient buffer it owns, step after step', () => {
    const t = new Trainer(makeData(), 'bceWithLogits', {});
    const buffer = t.gradLogits;
    for (let i = 0; i < 5; i += 1) t.train();
    expect(t.gradLogits).toBe(buffer);
    t.lossAndGrad();
    const fresh = evaluate(
      'bceWithLogits',
      { input: t.logits, target: t.data.labels },
      {},
      { grad: true },
    ).grads!.input.data;
    expect(Array.from(buffer)).toEqual(Array.from(fresh));
    expect(buffer.some((g) => g !== 0)).toBe(true);
  });

  it('reports minority recall and precision as counts of logits above 0', () => {
    const t = new Trainer(makeData(), 'weightedBce', { balanced: true });
    for (let i = 0; i < 200; i += 1) t.train();
    const r = t.report();
    // σ(z) > 0.5 exactly when z > 0: count by hand.
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < t.data.n; i += 1) {
      const predicted = t.logits[i] > 0;
      const actual = t.data.labels[i] === 1;
      if (predicted && actual) tp += 1;
      else if (predicted) fp += 1;
      else if (actual) fn += 1;
    }
    expect(r.recall).toBeCloseTo(tp / (tp + fn), 12);
    expect(r.precision).toBeCloseTo(tp / (tp + fp), 12);
    expect(r.step).toBe(200);
    expect(r.weights).toEqual(Array.from(t.weights));
  });

  it('decreases the loss, and class balancing finds more of the minority class than plain BCE', () => {
    const run = (id: (typeof TRAIN_LOSSES)[number], o: Record<string, unknown>) => {
      const t = new Trainer(makeData(), id, o);
      const first = t.train();
      for (let i = 1; i < 1000; i += 1) t.train();
      return { first, last: t.lastLoss, recall: t.report().recall };
    };
    const bce = run('bceWithLogits', {});
    const balanced = run('weightedBce', { balanced: true });
    expect(bce.last).toBeLessThan(bce.first);
    expect(balanced.last).toBeLessThan(balanced.first);
    // Balanced weights scale the positive terms by N₋/N = 0.92 and the negatives by N₊/N = 0.08,
    // an 11.5× shift towards predicting the minority class.
    expect(balanced.recall).toBeGreaterThan(bce.recall + 0.3);
  });
});
