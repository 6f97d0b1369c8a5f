// losskit benchmarks: value + gradient of the same losses on the same sizes, side by side with
// TensorFlow.js (tfjs-core on its cpu and wasm backends, in this process) and PyTorch (CPU, in a
// child process, when Debian's python3-torch is installed). Not a test: `npm run bench`.
//
// Each timed call computes the reduced ('mean') loss AND its gradient and reads both back into
// JavaScript memory, for every library: losskit returns typed arrays; for tfjs the call is
// tf.valueAndGrad on pre-created tensors plus dataSync() of value and gradient.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { Bench } from 'tinybench';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as lk from '../dist/index.js';

const N = Number(process.env.BENCH_N ?? 1_000_000);
const ROWS = Number(process.env.BENCH_ROWS ?? 2048);
const CLASSES = Number(process.env.BENCH_CLASSES ?? 1000);
const TIME_MS = Number(process.env.BENCH_TIME_MS ?? 1500);

// Seeded data (mulberry32 + Box–Muller), identical across libraries within a run.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const r = rng(7);
const normal = () => Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
const x64 = Float64Array.from({ length: N }, normal);
const y64 = Float64Array.from({ length: N }, normal);
const z64 = Float64Array.from({ length: N }, () => (r() > 0.5 ? 1 : 0));
const logits64 = Float64Array.from({ length: ROWS * CLASSES }, normal);
const labels = Int32Array.from({ length: ROWS }, () => Math.floor(r() * CLASSES));
const oneHot32 = new Float32Array(ROWS * CLASSES);
for (let i = 0; i < ROWS; i++) oneHot32[i * CLASSES + labels[i]] = 1;
const f32 = (a) => Float32Array.from(a);
const x32 = f32(x64);
const y32 = f32(y64);
const z32 = f32(z64);
const logits32 = f32(logits64);

const t = (data, shape) => ({ data, shape });
const cases = {
  mse: {
    lk: (d, e) => lk.mse.valueAndGrad(t(d.x, [N]), t(d.y, [N]), {}, e),
    tf: () => {
      const x = tf.tensor1d(x32);
      const y = tf.tensor1d(y32);
      const f = tf.valueAndGrad((a) => tf.losses.meanSquaredError(y, a));
      return () => timedTf(() => f(x));
    },
  },
  huber: {
    lk: (d, e) => lk.huber.valueAndGrad(t(d.x, [N]), t(d.y, [N]), {}, e),
    tf: () => {
      const x = tf.tensor1d(x32);
      const y = tf.tensor1d(y32);
      const f = tf.valueAndGrad((a) => tf.losses.huberLoss(y, a));
      return () => timedTf(() => f(x));
    },
  },
  bceWithLogits: {
    lk: (d, e) => lk.bceWithLogits.valueAndGrad(t(d.x, [N]), t(d.z, [N]), {}, e),
    tf: () => {
      const x = tf.tensor1d(x32);
      const z = tf.tensor1d(z32);
      const f = tf.valueAndGrad((a) => tf.losses.sigmoidCrossEntropy(z, a));
      return () => timedTf(() => f(x));
    },
  },
  sigmoidFocal: {
    lk: (d, e) => lk.sigmoidFocal.valueAndGrad(t(d.x, [N]), t(d.z, [N]), {}, e),
    // TF.js has no focal loss; this is the torchvision formula composed from tfjs ops.
    tf: () => {
      const x = tf.tensor1d(x32);
      const z = tf.tensor1d(z32);
      const f = tf.valueAndGrad((a) => {
        const p = tf.sigmoid(a);
        const ce = tf.losses.sigmoidCrossEntropy(z, a, undefined, 0, tf.Reduction.NONE);
        const pt = tf.add(tf.mul(p, z), tf.mul(tf.sub(1, p), tf.sub(1, z)));
        const mod = tf.pow(tf.sub(1, pt), 2);
        const alpha = tf.add(tf.mul(0.25, z), tf.mul(0.75, tf.sub(1, z)));
        return tf.mean(tf.mul(tf.mul(ce, mod), alpha));
      });
      return () => timedTf(() => f(x));
    },
  },
  crossEntropy: {
    lk: (d, e) =>
      lk.crossEntropy.valueAndGrad(t(d.logits, [ROWS, CLASSES]), t(labels, [ROWS]), {}, e),
    tf: () => {
      const x = tf.tensor2d(logits32, [ROWS, CLASSES]);
      const y = tf.tensor2d(oneHot32, [ROWS, CLASSES]);
      const f = tf.valueAndGrad((a) => tf.losses.softmaxCrossEntropy(y, a));
      return () => timedTf(() => f(x));
    },
  },
};

// Reads value and gradient back inside tidy (which then frees every intermediate tensor) but
// returns them outside it: tidy walks whatever it returns looking for tensors, element by element,
// which would add ~0.6 s per million-element array to tfjs' time.
function timedTf(step) {
  let result;
  tf.tidy(() => {
    const { value, grad } = step();
    result = [value.dataSync()[0], grad.dataSync()];
  });
  return result;
}

async function timeGroup(label, tasks) {
  const bench = new Bench({ time: TIME_MS, iterations: 5, warmupTime: 100, warmupIterations: 2 });
  for (const [name, fn] of tasks) bench.add(name, fn);
  await bench.run();
  const out = {};
  for (const task of bench.tasks) {
    const res = task.result;
    const ms = res?.latency?.p50 ?? res?.median ?? res?.mean;
    out[task.name] = ms;
  }
  return out;
}

const results = {};
const d64 = { x: x64, y: y64, z: z64, logits: logits64 };
const d32 = { x: x32, y: y32, z: z32, logits: logits32 };
for (const [name, c] of Object.entries(cases)) {
  const into = { input: new Float64Array(name === 'crossEntropy' ? ROWS * CLASSES : N) };
  const own = await timeGroup(name, [
    ['losskit float64', () => c.lk(d64)],
    ['losskit float64, into', () => c.lk(d64, { into })],
    ['losskit float32 input', () => c.lk(d32)],
  ]);
  for (const [k, v] of Object.entries(own)) results[`${name}|${k}`] = v;
}

setWasmPaths(
  new URL('../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname,
);
for (const backend of ['cpu', 'wasm']) {
  await tf.setBackend(backend);
  await tf.ready();
  for (const [name, c] of Object.entries(cases)) {
    const run = c.tf();
    const res = await timeGroup(name, [[`tfjs ${backend} float32`, run]]);
    for (const [k, v] of Object.entries(res)) results[`${name}|${k}`] = v;
  }
  tf.disposeVariables();
}

let torchVersion = null;
const py = '/usr/bin/python3';
if (existsSync(py)) {
  try {
    const json = execFileSync(
      py,
      [
        new URL('./torch_bench.py', import.meta.url).pathname,
        String(N),
        String(ROWS),
        String(CLASSES),
      ],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        maxBuffer: 1 << 20,
      },
    );
    const parsed = JSON.parse(json);
    torchVersion = parsed.torch;
    Object.assign(results, parsed.results);
  } catch {
    console.error('PyTorch not available: skipping its column (apt-get install python3-torch).');
  }
}

const names = Object.keys(cases);
const columns = [...new Set(Object.keys(results).map((k) => k.split('|')[1]))];
const size = (n) =>
  n === 'crossEntropy' ? `(${ROWS}, ${CLASSES}) logits` : `${N.toLocaleString('en')} elements`;
let md = `# losskit benchmark results\n\nGenerated by \`npm run bench\` (bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}: `;
md += `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, `;
md += `@tensorflow/tfjs-core ${tf.version_core}${torchVersion ? `, torch ${torchVersion}` : ''}.\n\n`;
md +=
  'Median milliseconds per call of value + gradient (reduction mean), results read back into JavaScript/CPU memory. ';
md +=
  'Lower is better. losskit computes in float64 whatever the input type; tfjs computes in float32.\n\n';
md += `| loss | size | ${columns.join(' | ')} |\n|---|---|${columns.map(() => '---:').join('|')}|\n`;
for (const n of names) {
  md += `| ${n} | ${size(n)} | ${columns.map((c) => (results[`${n}|${c}`] === undefined ? '–' : results[`${n}|${c}`].toFixed(2))).join(' | ')} |\n`;
}
md += '\nsigmoidFocal under tfjs is composed from tfjs ops (TF.js has no focal loss). ';
md +=
  'On the 2-core virtual machines this project runs on, the same cell varies by up to about ±25% between runs: ';
md += 'compare columns within one run, and treat differences under 1.5× as noise.\n';
console.log(md);
if (process.env.BENCH_WRITE !== '0') writeFileSync(new URL('./RESULTS.md', import.meta.url), md);

// Sequence losses (catalog section 7) have their own sizes and table (bench/RESULTS-sequence.md).
await import('./sequence.mjs');
