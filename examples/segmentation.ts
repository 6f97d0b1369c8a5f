/**
 * `npm run example:segmentation`: a tiny fully convolutional net trained with dice + cross-entropy
 * (losskit's diceCrossEntropy, seed 002's combination: cross-entropy gives smooth per-pixel
 * gradients, dice counters the background's majority by scoring the overlap per class).
 *
 * tfjs convolutions are channels-last (N, H, W, C) while losskit follows torch's (N, C, H, W), so
 * the loss transposes the logits; model.fit wants one-hot targets of the output's shape, which the
 * loss turns into class indices. That custom glue uses evaluateTf directly.
 *
 * Needs the segmentation family (diceCrossEntropy, diceScore is a core metric) in the registry: on
 * a build without it, the example says so and exits; it runs unchanged once that family is merged.
 */
import * as tf from '@tensorflow/tfjs';
import { evaluate } from 'losskit';
import { evaluateTf } from 'losskit/tfjs';
import { requireEntries, rng } from './common.js';

const SIZE = 12;

/** Noisy images with one bright rectangle; the mask is 1 inside it. */
function dataset(n: number, seed: number): { x: number[][][][]; y: number[][][] } {
  const r = rng(seed);
  const x: number[][][][] = [];
  const y: number[][][] = [];
  for (let k = 0; k < n; k++) {
    const x0 = Math.floor(r() * 6);
    const y0 = Math.floor(r() * 6);
    const w = 3 + Math.floor(r() * 4);
    const h = 3 + Math.floor(r() * 4);
    const img: number[][][] = [];
    const mask: number[][] = [];
    for (let i = 0; i < SIZE; i++) {
      const row: number[][] = [];
      const mrow: number[] = [];
      for (let j = 0; j < SIZE; j++) {
        const inside = i >= y0 && i < y0 + h && j >= x0 && j < x0 + w ? 1 : 0;
        row.push([inside * 1.0 + (r() - 0.5) * 1.2]);
        mrow.push(inside);
      }
      img.push(row);
      mask.push(mrow);
    }
    x.push(img);
    y.push(mask);
  }
  return { x, y };
}

/** dice + CE on channels-last logits against one-hot channels-last targets. */
function diceCe(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  const logits = tf.transpose(yPred, [0, 3, 1, 2]); // (N, H, W, C) → (N, C, H, W)
  const target = tf.argMax(yTrue, -1); // one-hot → class indices (N, H, W)
  return evaluateTf('diceCrossEntropy', { input: logits, target }) as tf.Scalar;
}

/** The foreground's Dice coefficient on held-out images (losskit's diceScore metric, binary task). */
function foregroundDice(model: tf.Sequential, x: tf.Tensor, masks: number[][][]): number {
  const p = tf
    .tidy(() => tf.softmax(model.predict(x) as tf.Tensor).slice([0, 0, 0, 1], [-1, -1, -1, 1]))
    .dataSync();
  const input = { data: p, shape: [masks.length, SIZE, SIZE] };
  return evaluate('diceScore', { input, target: masks }, { task: 'binary', threshold: 0.5 })
    .value as number;
}

async function main(): Promise<void> {
  if (!requireEntries('segmentation example', ['diceCrossEntropy', 'diceScore'])) return;
  await tf.setBackend('cpu');
  const train = dataset(64, 1);
  const test = dataset(32, 2);
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      filters: 8,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      inputShape: [SIZE, SIZE, 1],
      kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
    }),
  );
  model.add(
    tf.layers.conv2d({
      filters: 2,
      kernelSize: 1,
      kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
    }),
  );
  model.compile({ optimizer: tf.train.adam(0.05), loss: diceCe });
  const xt = tf.tensor4d(test.x);
  console.log(`foreground dice before training: ${foregroundDice(model, xt, test.y).toFixed(3)}`);
  const ys = tf.oneHot(tf.tensor3d(train.y, undefined, 'int32'), 2);
  const h = await model.fit(tf.tensor4d(train.x), ys, {
    epochs: 10,
    batchSize: 16,
    verbose: 0,
    shuffle: false,
  });
  const losses = h.history.loss as number[];
  console.log(
    `dice + CE: ${losses[0].toFixed(4)} (epoch 1) → ${losses[losses.length - 1].toFixed(4)} (epoch ${losses.length})`,
  );
  console.log(`foreground dice after training:  ${foregroundDice(model, xt, test.y).toFixed(3)}`);
}

await main();
