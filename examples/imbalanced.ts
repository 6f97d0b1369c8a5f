/**
 * `npm run example:imbalanced`: a small classifier on a 1:20 imbalanced data set, trained with
 * model.fit and losskit losses through kerasLoss: BCE, weighted BCE and sigmoid focal loss (with the
 * torchvision default α = 0.25 and with α = 0.75). Prints the minority class's recall, precision and
 * F1 on a held-out set (losskit's own metrics) for each.
 *
 * About α: in sigmoidFocal, α weighs the positive class and 1 − α the negative one, so the common
 * default α = 0.25 gives the RARE positives a quarter of the weight of the negatives. In the focal
 * loss paper (Lin et al. 2017) that pairs with γ = 2, whose modulating factor already removes most
 * easy negatives; α = 0.25 was the best value there and compensates the other way. On a plain
 * imbalanced problem like this one, it down-weights the class you care about: expect a low recall.
 * α > 0.5 (here 0.75) up-weights the positives instead.
 */
import * as tf from '@tensorflow/tfjs';
import { evaluate } from 'losskit';
import { kerasLoss } from 'losskit/tfjs';
import { rng } from './common.js';

/** 1 positive per 20 negatives; the classes overlap (positives centred at (1.5, 1.5), unit noise). */
function dataset(n: number, seed: number): { x: number[][]; y: number[] } {
  const r = rng(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const pos = i % 21 === 0 ? 1 : 0;
    x.push([normal() + 1.5 * pos, normal() + 1.5 * pos]);
    y.push(pos);
  }
  return { x, y };
}

interface Run {
  name: string;
  id: string;
  options: Record<string, unknown>;
  /** 'probabilities' for bce (sigmoid output), 'logits' otherwise. */
  output: 'probabilities' | 'logits';
}

const RUNS: Run[] = [
  { name: 'bce', id: 'bce', options: {}, output: 'probabilities' },
  {
    name: 'weightedBce (posWeight 20)',
    id: 'weightedBce',
    options: { posWeight: 20 },
    output: 'logits',
  },
  {
    name: 'sigmoidFocal α=0.25 γ=2',
    id: 'sigmoidFocal',
    options: { alpha: 0.25, gamma: 2 },
    output: 'logits',
  },
  {
    name: 'sigmoidFocal α=0.75 γ=2',
    id: 'sigmoidFocal',
    options: { alpha: 0.75, gamma: 2 },
    output: 'logits',
  },
];

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const train = dataset(2100, 1);
  const test = dataset(4200, 2);
  const xs = tf.tensor2d(train.x);
  const ys = tf.tensor2d(train.y.map((v) => [v]));
  const xt = tf.tensor2d(test.x);
  const positives = test.y.reduce((a, b) => a + b, 0);
  console.log(
    `train: ${train.y.length} samples, test: ${test.y.length} (${positives} positives, 1:20)`,
  );
  console.log('loss                          recall  precision  F1');
  for (const run of RUNS) {
    const model = tf.sequential();
    model.add(
      tf.layers.dense({
        units: 8,
        activation: 'relu',
        inputShape: [2],
        kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }),
      }),
    );
    model.add(
      tf.layers.dense({
        units: 1,
        activation: run.output === 'probabilities' ? 'sigmoid' : 'linear',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 8 }),
      }),
    );
    model.compile({ optimizer: tf.train.adam(0.05), loss: kerasLoss(run.id, run.options) });
    await model.fit(xs, ys, { epochs: 20, batchSize: 256, verbose: 0, shuffle: false });
    const out = model.predict(xt) as tf.Tensor;
    const p = (run.output === 'probabilities' ? out : tf.sigmoid(out)).dataSync();
    const opts = { task: 'binary', threshold: 0.5 };
    const score = (id: string): number =>
      evaluate(id, { input: { data: p, shape: [p.length] }, target: test.y }, opts).value as number;
    const [recall, precision, f1] = ['recall', 'precision', 'f1Score'].map(score);
    console.log(
      `${run.name.padEnd(30)}${recall.toFixed(3).padStart(6)}  ${precision.toFixed(3).padStart(9)}  ${f1.toFixed(3)}`,
    );
    model.dispose();
  }
  console.log(
    '\nα = 0.25 gives the rare positives a quarter of the negatives’ weight: low recall. α = 0.75 or a positive weight trades precision for recall.',
  );
}

await main();
