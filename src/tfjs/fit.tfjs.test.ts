/**
 * model.compile({ loss: kerasLoss(...) }) then model.fit lowers the loss: tfjs-layers calls the
 * loss with (yTrue, yPred) inside optimizer.minimize, so this is the path Keras users take. Small
 * seeded data sets; a few epochs each, on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../test-support/tfjs-backends.js';
import { evaluateTf, kerasLoss, kerasMetric } from './index.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n points in 2-D, class k centred at (k, −k) with unit noise; labels cycle so class 0 dominates. */
function data(n: number, classes: number, seed: number): { x: number[][]; y: number[] } {
  const r = rng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = classes === 2 ? (i % 8 === 0 ? 1 : 0) : i % classes;
    x.push([k * 1.5 + (r() - 0.5) * 2, -k * 1.5 + (r() - 0.5) * 2]);
    y.push(k);
  }
  return { x, y };
}

async function fitLoss(
  loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar,
  units: number,
  activation: 'linear' | 'sigmoid',
  labels: 'binary' | 'oneHot',
  metrics: ReturnType<typeof kerasMetric>[] = [],
): Promise<tf.History> {
  const { x, y } = data(160, labels === 'binary' ? 2 : units, 3);
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      units,
      activation,
      inputShape: [2],
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    }),
  );
  model.compile({ optimizer: tf.train.adam(0.05), loss, metrics });
  const xs = tf.tensor2d(x);
  // Keras' fit only takes targets of the output's shape for custom losses: one-hot for C > 1.
  const ys =
    labels === 'binary'
      ? tf.tensor2d(y.map((v) => [v]))
      : tf.oneHot(tf.tensor1d(y, 'int32'), units);
  const h = await model.fit(xs, ys, { epochs: 8, batchSize: 32, verbose: 0, shuffle: false });
  xs.dispose();
  ys.dispose();
  model.dispose();
  return h;
}

function lossCurve(h: tf.History): number[] {
  return h.history.loss as number[];
}

describe('model.fit with kerasLoss', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  const binary: [string, Record<string, unknown>, 'linear' | 'sigmoid'][] = [
    ['bce', {}, 'sigmoid'],
    ['bceWithLogits', {}, 'linear'],
    ['weightedBce', { posWeight: 7 }, 'linear'],
    ['sigmoidFocal', { alpha: 0.75, gamma: 2 }, 'linear'],
  ];
  for (const [id, opts, activation] of binary) {
    it(`lowers ${id} on an imbalanced binary problem`, async () => {
      const curve = lossCurve(await fitLoss(kerasLoss(id, opts), 1, activation, 'binary'));
      expect(curve.length).toBe(8);
      expect(curve[7]).toBeLessThan(curve[0] * 0.9);
    });
  }

  it('lowers crossEntropy on one-hot labels and reports multiMargin as a metric', async () => {
    const h = await fitLoss(kerasLoss('crossEntropy'), 3, 'linear', 'oneHot', [
      kerasMetric('multiMargin'),
    ]);
    const curve = lossCurve(h);
    expect(curve[7]).toBeLessThan(curve[0] * 0.9);
    const metric = h.history.multiMargin as number[];
    expect(metric.length).toBe(8);
    expect(metric[7]).toBeLessThan(metric[0]);
  });

  it('lowers multiMargin (one-hot labels become class indices) on the device and through the bridge', async () => {
    const device = lossCurve(await fitLoss(kerasLoss('multiMargin'), 3, 'linear', 'oneHot'));
    expect(device[7]).toBeLessThan(device[0] * 0.9);
    const viaBridge = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar =>
      evaluateTf(
        'multiMargin',
        { input: yPred, target: tf.argMax(yTrue, -1) },
        {},
        { path: 'bridge' },
      ) as tf.Scalar;
    const bridged = lossCurve(await fitLoss(viaBridge, 3, 'linear', 'oneHot'));
    expect(bridged[7]).toBeLessThan(bridged[0] * 0.9);
    // Same data, same initial weights, same loss: the two paths train alike (float32 vs float64).
    bridged.forEach((v, i) => expect(Math.abs(v - device[i])).toBeLessThan(1e-4 * (1 + v)));
  });
});
