// losskit/tfjs against TensorFlow.js' own tf.losses, where both exist. Not a test:
// `npm run bench:tfjs` (builds first). Same backend, same float32 tensors, one process; each timed
// call is tf.valueAndGrad of the mean loss with respect to the prediction, then dataSync() of value
// and gradient (so asynchronous backends finish inside the timing). Median of repeated calls.
//
// Pairs (tfjs function: losskit id): meanSquaredError: mse, absoluteDifference: l1, huberLoss: huber,
// sigmoidCrossEntropy: bceWithLogits, hingeLoss: hinge, softmaxCrossEntropy: crossEntropy with
// one-hot (probability) targets and with class-index targets. tf.losses.logLoss is left out: it
// adds 1e-7 inside the logs, so it is not bce.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { evaluateTf } from '../dist/tfjs/index.js';
import { rng } from './rng.mjs';

const N = Number(process.env.BENCH_N ?? 262_144);
const ROWS = Number(process.env.BENCH_ROWS ?? 4096);
const CLASSES = Number(process.env.BENCH_CLASSES ?? 100);
const TIME_MS = Number(process.env.BENCH_TIME_MS ?? 1000);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'cpu,wasm').split(',');
const ONLY = process.env.BENCH_ONLY ?? '';

const r = rng(11);
const normal = () => Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
const xData = Float32Array.from({ length: N }, normal);
const yData = Float32Array.from({ length: N }, normal);
const bData = Float32Array.from({ length: N }, () => (r() < 0.3 ? 1 : 0));
const logitData = Float32Array.from({ length: ROWS * CLASSES }, normal);
const labels = Int32Array.from({ length: ROWS }, () => Math.floor(r() * CLASSES));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median ms of f() (value and gradient, read back), after warm-up, for about TIME_MS. */
function time(f) {
  for (let k = 0; k < 3; k++) f();
  const samples = [];
  const start = performance.now();
  while (performance.now() - start < TIME_MS || samples.length < 5) {
    const t0 = performance.now();
    f();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

function valueAndGrad(loss, x) {
  return () =>
    tf.tidy(() => {
      const { value, grad } = tf.valueAndGrad(loss)(x);
      value.dataSync();
      grad.dataSync();
    });
}

function cases() {
  const x = tf.tensor1d(xData);
  const y = tf.tensor1d(yData);
  const b = tf.tensor1d(bData);
  const logits = tf.tensor2d(logitData, [ROWS, CLASSES]);
  const idx = tf.tensor1d(labels, 'int32');
  const oneHot = tf.oneHot(idx, CLASSES).toFloat();
  const mean = tf.Reduction.MEAN;
  return [
    {
      name: `mse (${N})`,
      x,
      tfjs: (p) => tf.losses.meanSquaredError(y, p, undefined, mean),
      lk: (p) => evaluateTf('mse', { input: p, target: y }),
    },
    {
      name: `l1 (${N})`,
      x,
      tfjs: (p) => tf.losses.absoluteDifference(y, p, undefined, mean),
      lk: (p) => evaluateTf('l1', { input: p, target: y }),
    },
    {
      name: `huber δ=1 (${N})`,
      x,
      tfjs: (p) => tf.losses.huberLoss(y, p, undefined, 1, mean),
      lk: (p) => evaluateTf('huber', { input: p, target: y }),
    },
    {
      name: `bceWithLogits (${N})`,
      x,
      tfjs: (p) => tf.losses.sigmoidCrossEntropy(b, p, undefined, 0, mean),
      lk: (p) => evaluateTf('bceWithLogits', { input: p, target: b }),
    },
    {
      name: `hinge (${N})`,
      x,
      tfjs: (p) => tf.losses.hingeLoss(b, p, undefined, mean),
      lk: (p) => evaluateTf('hinge', { input: p, target: b }),
    },
    {
      name: `crossEntropy one-hot (${ROWS}×${CLASSES})`,
      x: logits,
      tfjs: (p) => tf.losses.softmaxCrossEntropy(oneHot, p, undefined, 0, mean),
      lk: (p) => evaluateTf('crossEntropy', { input: p, target: oneHot }),
    },
    {
      name: `crossEntropy indices (${ROWS}×${CLASSES})`,
      x: logits,
      tfjs: (p) => tf.losses.softmaxCrossEntropy(oneHot, p, undefined, 0, mean),
      lk: (p) => evaluateTf('crossEntropy', { input: p, target: idx }),
    },
  ];
}

setWasmPaths(
  new URL('../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname,
);

const rows = [];
for (const backend of BACKENDS) {
  await tf.setBackend(backend);
  await tf.ready();
  for (const c of cases()) {
    if (ONLY && !c.name.startsWith(ONLY)) continue;
    // Same value first: the pairs compute the same mean loss.
    const a = c.tfjs(c.x).dataSync()[0];
    const l = c.lk(c.x).dataSync()[0];
    const tTf = time(valueAndGrad(c.tfjs, c.x));
    const tLk = time(valueAndGrad(c.lk, c.x));
    rows.push({ backend, name: c.name, tTf, tLk, a, l });
    console.log(
      `${backend.padEnd(5)} ${c.name.padEnd(34)} tf.losses ${tTf.toFixed(2).padStart(8)} ms   evaluateTf ${tLk.toFixed(2).padStart(8)} ms   ratio ${(tTf / tLk).toFixed(2)}×   values ${a.toPrecision(7)} / ${l.toPrecision(7)}`,
    );
  }
  tf.disposeVariables();
}
