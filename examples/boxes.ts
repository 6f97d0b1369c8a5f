/**
 * `npm run example:boxes`: a box regressor trained with CIoU through kerasLoss. The "detector" sees
 * a biased, noisy view of each target box (cx, cy, w, h) and a linear layer learns to undo the
 * distortion. CIoU (Zheng et al. 2020) adds to 1 − IoU a centre-distance term and an aspect-ratio
 * term, so it still has a gradient when the boxes do not overlap (plain IoU has none there).
 * Prints the mean IoU on held-out boxes before and after training.
 *
 * Needs the boxes family (ciou) in the registry: on a build without it, the example says so and
 * exits; it runs unchanged once that family is merged.
 */
import * as tf from '@tensorflow/tfjs';
import { evaluate } from 'losskit';
import { kerasLoss } from 'losskit/tfjs';
import { requireEntries, rng } from './common.js';

/** Target boxes (cx, cy, w, h) in [0, 10]² and their distorted observations. */
function dataset(n: number, seed: number): { x: number[][]; y: number[][] } {
  const r = rng(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const box = [2 + 6 * r(), 2 + 6 * r(), 1 + 2 * r(), 1 + 2 * r()];
    y.push(box);
    // A shifted, shrunken, noisy view: what the model must correct.
    x.push([box[0] + 0.8 + 0.1 * (r() - 0.5), box[1] - 0.6, 0.7 * box[2], 0.7 * box[3] + 0.2]);
  }
  return { x, y };
}

function meanIou(pred: tf.Tensor, target: number[][]): number {
  // iouLoss (linear mode) is 1 − IoU per row under reduction 'none'.
  const p = pred.dataSync();
  const l = evaluate(
    'iouLoss',
    { input: { data: p, shape: [target.length, 4] }, target },
    { format: 'cxcywh', reduction: 'mean' },
  ).value as number;
  return 1 - l;
}

async function main(): Promise<void> {
  if (!requireEntries('boxes example', ['ciou', 'iouLoss'])) return;
  await tf.setBackend('cpu');
  const train = dataset(512, 1);
  const test = dataset(256, 2);
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      units: 4,
      inputShape: [4],
      kernelInitializer: 'identity',
      biasInitializer: 'zeros',
    }),
  );
  model.compile({ optimizer: tf.train.adam(0.05), loss: kerasLoss('ciou', { format: 'cxcywh' }) });
  const xt = tf.tensor2d(test.x);
  console.log(
    `mean IoU before training: ${meanIou(model.predict(xt) as tf.Tensor, test.y).toFixed(3)}`,
  );
  const h = await model.fit(tf.tensor2d(train.x), tf.tensor2d(train.y), {
    epochs: 40,
    batchSize: 64,
    verbose: 0,
    shuffle: false,
  });
  const losses = h.history.loss as number[];
  console.log(
    `ciou loss: ${losses[0].toFixed(4)} (epoch 1) → ${losses[losses.length - 1].toFixed(4)} (epoch ${losses.length})`,
  );
  console.log(
    `mean IoU after training:  ${meanIou(model.predict(xt) as tf.Tensor, test.y).toFixed(3)}`,
  );
}

await main();
