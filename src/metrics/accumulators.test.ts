import { describe, expect, it } from 'vitest';
import type { Tensor } from '../core/tensor.js';
import { evaluate } from '../registry.js';
import { expectLossError, seededRandom } from '../test-support/check.js';
import { COUNTING_METRIC_IDS, createAccumulator } from './accumulators.js';
import type { CountingAccumulator } from './counting.js';
import { f1Score } from './f1Score.js';
import { precision } from './precision.js';

type Rand = () => number;

interface Dataset {
  title: string;
  input: Tensor;
  target: Tensor;
  options: Record<string, unknown>;
}

function int(r: Rand, n: number): number {
  return Math.floor(r() * n);
}

/** Random datasets of every task and input form, with absent classes and ignored positions. */
function datasets(r: Rand): Dataset[] {
  const n = 37;
  const scores = Float64Array.from({ length: n }, () => r());
  const bin = Int32Array.from({ length: n }, () => int(r, 2));
  const binIgnored = Int32Array.from(bin, (v) => (r() < 0.2 ? -1 : v));
  const c = 5;
  // class 4 never occurs: absent from every batch
  const mcTarget = Int32Array.from({ length: n }, () => int(r, 4));
  const mcLabels = Int32Array.from({ length: n }, () => int(r, 4));
  const mcScores = Float64Array.from({ length: n * c }, () => r() * 4 - 2);
  const spatialTarget = Int32Array.from({ length: n * 6 }, () => (r() < 0.1 ? 255 : int(r, 3)));
  const spatialScores = Float64Array.from({ length: n * 3 * 6 }, () => r());
  const mlTarget = Int32Array.from({ length: n * 4 * 2 }, () => (r() < 0.1 ? -1 : int(r, 2)));
  const mlScores = Float64Array.from({ length: n * 4 * 2 }, () => r());
  return [
    {
      title: 'binary scores',
      input: { data: scores, shape: [n] },
      target: { data: bin, shape: [n] },
      options: { task: 'binary', threshold: 0.4 },
    },
    {
      title: 'binary labels with ignoreIndex',
      input: { data: Int32Array.from(bin, (v, i) => (i % 3 === 0 ? 1 - v : v)), shape: [n] },
      target: { data: binIgnored, shape: [n] },
      options: { ignoreIndex: -1 },
    },
    {
      title: 'multiclass labels, class 4 absent',
      input: { data: mcLabels, shape: [n] },
      target: { data: mcTarget, shape: [n] },
      options: { task: 'multiclass', numClasses: 5 },
    },
    {
      title: 'multiclass scores (N, C) with an in-range ignored class',
      input: { data: mcScores, shape: [n, c] },
      target: { data: mcTarget, shape: [n] },
      options: { ignoreIndex: 1 },
    },
    {
      title: 'multiclass scores (N, C, H, W) with ignoreIndex 255',
      input: { data: spatialScores, shape: [n, 3, 2, 3] },
      target: { data: spatialTarget, shape: [n, 2, 3] },
      options: { ignoreIndex: 255 },
    },
    {
      title: 'multilabel scores (N, C, L)',
      input: { data: mlScores, shape: [n, 4, 2] },
      target: { data: mlTarget, shape: [n, 4, 2] },
      options: { task: 'multilabel', ignoreIndex: -1 },
    },
  ];
}

function rows(t: Tensor, a: number, b: number): Tensor {
  const per = t.shape.slice(1).reduce((x, y) => x * y, 1);
  return { data: t.data.slice(a * per, b * per), shape: [b - a, ...t.shape.slice(1)] };
}

/** Random cut points splitting n rows into batches (empty batches included). */
function cuts(r: Rand, n: number): number[] {
  const k = 1 + int(r, 6);
  const points = [0, n];
  for (let i = 0; i < k; i++) points.push(int(r, n + 1));
  return points.sort((x, y) => x - y);
}

function shuffle<T>(r: Rand, xs: T[]): T[] {
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(r, i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const AVERAGES = ['micro', 'macro', 'weighted', 'none'];

describe('streaming accumulators', () => {
  it('give exactly the one-pass value for random batch splits and shards merged in random order', () => {
    const r = seededRandom(20240909);
    for (let trial = 0; trial < 12; trial++) {
      for (const ds of datasets(r)) {
        for (const id of COUNTING_METRIC_IDS) {
          const variants =
            id === 'confusionMatrix'
              ? [{ normalize: null }, { normalize: 'true' }, { normalize: 'all' }]
              : AVERAGES.map((average) => ({ average, zeroDivision: trial % 2 }));
          for (const extra of variants) {
            const options = { ...ds.options, ...extra };
            const once = evaluate(id, { input: ds.input, target: ds.target }, options).value;
            const n = ds.target.shape[0];
            const points = cuts(r, n);
            const batches: [Tensor, Tensor][] = [];
            for (let i = 0; i + 1 < points.length; i++) {
              batches.push([
                rows(ds.input, points[i], points[i + 1]),
                rows(ds.target, points[i], points[i + 1]),
              ]);
            }
            // Sequential batches on one accumulator.
            const seq = createAccumulator(id, options as never);
            for (const [x, y] of batches) seq.update(x, y);
            expect(seq.compute(), `${id} ${ds.title} ${JSON.stringify(extra)} batched`).toEqual(
              once,
            );
            // Shards on "workers", merged in a random order into a fresh accumulator.
            const workers: CountingAccumulator[] = [];
            const nw = 1 + int(r, 4);
            for (let w = 0; w < nw; w++) workers.push(createAccumulator(id, options as never));
            for (const [x, y] of shuffle(r, batches)) workers[int(r, nw)].update(x, y);
            const total = createAccumulator(id, options as never);
            for (const w of shuffle(r, workers)) total.merge(w);
            expect(total.compute(), `${id} ${ds.title} ${JSON.stringify(extra)} sharded`).toEqual(
              once,
            );
          }
        }
      }
    }
  });

  it('are also reachable as <metric>.accumulator(options)', () => {
    const acc = f1Score.accumulator({ task: 'binary' });
    acc.update([0.9, 0.1], [1, 1]).update([0.8], [0]);
    expect(acc.compute()).toBe(f1Score([0.9, 0.1, 0.8], [1, 1, 0], { task: 'binary' }));
    expect(acc.id).toBe('f1Score');
  });

  it('keep counting after compute', () => {
    const acc = precision.accumulator({ task: 'binary' });
    acc.update([0.9], [1]);
    expect(acc.compute()).toBe(1);
    acc.update([0.9], [0]);
    expect(acc.compute()).toBe(0.5);
  });

  it('expose exact integer counts as their state', () => {
    const acc = createAccumulator('confusionMatrix', { numClasses: 3 });
    expect(acc.state).toBeNull();
    acc.update([0, 2, 1], [0, 1, 1]);
    expect(acc.state?.task).toBe('multiclass');
    expect(Array.from(acc.state!.counts)).toEqual([1, 0, 0, 0, 1, 1, 0, 0, 0]);
  });

  it('compute zero counts before any update when the layout is known from the options', () => {
    expect(createAccumulator('precision', { task: 'binary', zeroDivision: 1 }).compute()).toBe(1);
    expect(createAccumulator('confusionMatrix', { numClasses: 2 }).compute()).toEqual({
      data: new Float64Array(4),
      shape: [2, 2],
    });
    expectLossError(
      () => createAccumulator('recall', { task: 'multiclass' }).compute(),
      'E_OPTION',
      ["'numClasses'"],
    );
  });

  it('leave the state unchanged when a batch fails validation', () => {
    const acc = createAccumulator('accuracy', { task: 'multiclass', numClasses: 3 });
    acc.update([0, 1], [0, 2]);
    const before = Array.from(acc.state!.counts);
    expectLossError(() => acc.update([0, 1], [0, 7]), 'E_RANGE', ["'target'", '7']);
    expect(Array.from(acc.state!.counts)).toEqual(before);
  });

  it('merge an empty accumulator as a no-op and into an empty one as a copy', () => {
    const a = createAccumulator('recall', { task: 'binary' }).update([0.9, 0.2], [1, 1]);
    const empty = createAccumulator('recall', { task: 'binary' });
    expect(a.merge(empty).compute()).toBe(0.5);
    expect(createAccumulator('recall', { task: 'binary' }).merge(a).compute()).toBe(0.5);
  });

  it('refuse to merge accumulators that count differently (E_OPTION, E_SHAPE, E_TYPE)', () => {
    const a = createAccumulator('precision', { task: 'binary' }).update([0.9], [1]);
    const b = createAccumulator('precision', { task: 'binary', threshold: 0.2 }).update([0.9], [1]);
    expectLossError(() => a.merge(b), 'E_OPTION', ['merge(other)', 'threshold=0.2']);
    const c = createAccumulator('precision', { numClasses: 3 }).update([0, 1], [1, 2]);
    expectLossError(() => a.merge(c), 'E_SHAPE', ['merge(other)', "'multiclass'"]);
    expectLossError(() => a.merge({} as CountingAccumulator), 'E_TYPE', ['merge(other)']);
  });

  it('refuse a batch of another layout (E_SHAPE) and a missing input (E_INPUT)', () => {
    const acc = createAccumulator('f1Score', {}).update([0.2, 0.9], [0, 1]);
    expectLossError(() => acc.update([[0.2, 0.9]], [1]), 'E_SHAPE', ["task 'binary'"]);
    expectLossError(() => acc.update(undefined as never, [1]), 'E_INPUT', ["'input'"]);
  });

  it('reject an unknown metric id with a hint (E_UNKNOWN_LOSS) and unknown options (E_OPTION)', () => {
    expectLossError(() => createAccumulator('f1score' as never), 'E_UNKNOWN_LOSS', ["'f1Score'"]);
    expectLossError(() => createAccumulator('f1Score', { avg: 'micro' } as never), 'E_OPTION', [
      "'avg'",
    ]);
  });

  it('fold a confusion matrix into per-class counts on merge, and refuse the reverse (E_OPTION)', () => {
    const input = [0, 2, 1, 1, 0];
    const target = [0, 1, 1, 2, 2];
    const matrix = createAccumulator('confusionMatrix', { numClasses: 3 }).update(input, target);
    const merged = createAccumulator('precision', { task: 'multiclass', numClasses: 3 }).merge(
      matrix,
    );
    expect(merged.compute()).toBe(precision(input, target, { task: 'multiclass', numClasses: 3 }));
    const perClass = createAccumulator('precision', { task: 'multiclass', numClasses: 3 }).update(
      input,
      target,
    );
    expectLossError(
      () => createAccumulator('confusionMatrix', { numClasses: 3 }).merge(perClass),
      'E_OPTION',
      ['merge(other)', 'full confusion matrix'],
    );
  });
});
