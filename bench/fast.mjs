// Fast-path benchmark (issue "fast paths"): workloads W1–W8 on float32 data, interleaved in one
// sitting, losskit (WebAssembly zero-copy on 2 threads and 1 thread, WebAssembly staged from plain
// Float32Arrays, the JavaScript kernels) beside TF.js (cpu and wasm backends) and PyTorch on 1 and
// 2 threads (bench/torch_fast.py as a server on the same bytes, when Debian's python3-torch is
// installed), with a memory-bandwidth reference and peak memory. Not a test. Writes
// docs/benchmarks.md. Run: `npm run bench` (BENCH_PART=fast, the default).
//
// Each round runs every contender once per workload, in an order rotated per round; a contender
// whose first call took longer than BENCH_SLOW_MS runs BENCH_SLOW_ROUNDS times only (2 times, and
// its value is not read again, beyond 10·BENCH_SLOW_MS). Every call
// computes the mean loss and its gradient (W8: the forward IoU matrix) and reads both back into
// JavaScript memory. Peak memory is measured once per contender, before the timed rounds, as the
// process's peak RSS above its RSS before the call (Linux VmHWM after /proc/self/clear_refs = 5,
// after a full GC), minus the bytes of outputs the call returns fresh.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as lk from '../dist/index.js';
import { pairFast } from '../dist/wasm/elementwise.js';
import { boxes, tfBoxIou, tfCiou } from './boxes.mjs';
import { tfDice } from './segmentation.mjs';
import { accuracyReport } from './accuracy.mjs';
import { rng } from './rng.mjs';

const env = (k, d) => Number(process.env[k] ?? d);
const SIZES = {
  n: env('BENCH_FAST_N', 10_000_000),
  rows: env('BENCH_FAST_ROWS', 100_000),
  classes: env('BENCH_FAST_CLASSES', 1000),
  batch: env('BENCH_FAST_DICE_B', 16),
  hw: env('BENCH_FAST_DICE_HW', 512),
  pairs: env('BENCH_FAST_PAIRS', 1_000_000),
  m: env('BENCH_FAST_IOU_M', 4000),
};
const ROUNDS = env('BENCH_ROUNDS', 5);
const SLOW_MS = env('BENCH_SLOW_MS', 2000);
const SLOW_ROUNDS = env('BENCH_SLOW_ROUNDS', 3);
const ONLY = (process.env.BENCH_WORKLOADS ?? 'W1,W2,W3,W4,W5,W6,W7,W8').split(',');
const DATA_DIR = join(tmpdir(), `losskit-bench-${process.pid}`);

const log = (s) => process.stderr.write(`${s}\n`);

const r = rng(7);
const normal = () => Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
const fill = (n, f) => {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = f();
  return a;
};
const bit = () => (r() > 0.5 ? 1 : 0);

/** The workloads: id, inputs (name → typed array + shape), options, TF.js loss builder. */
function workload(w) {
  const s = SIZES;
  const pair = (target) => {
    const x = fill(s.n, normal);
    return { input: [x, [s.n]], target: [target(), [s.n]] };
  };
  switch (w) {
    case 'W1':
      return {
        id: 'mse',
        title: `mse, ${s.n.toLocaleString('en')} elements`,
        inputs: pair(() => fill(s.n, normal)),
        tf: (t) => (a) => tf.losses.meanSquaredError(t.target, a),
      };
    case 'W2':
      return {
        id: 'huber',
        title: `huber, ${s.n.toLocaleString('en')} elements`,
        inputs: pair(() => fill(s.n, normal)),
        tf: (t) => (a) => tf.losses.huberLoss(t.target, a),
      };
    case 'W3':
      return {
        id: 'bceWithLogits',
        title: `bceWithLogits, ${s.n.toLocaleString('en')} elements`,
        inputs: pair(() => fill(s.n, bit)),
        tf: (t) => (a) => tf.losses.sigmoidCrossEntropy(t.target, a),
      };
    case 'W4':
      return {
        id: 'sigmoidFocal',
        title: `sigmoidFocal (α 0.25, γ 2), ${s.n.toLocaleString('en')} elements`,
        inputs: pair(() => fill(s.n, bit)),
        // TF.js has no focal loss: torchvision's formula composed from tfjs ops.
        tf: (t) => (a) => {
          const z = t.target;
          const p = tf.sigmoid(a);
          const ce = tf.losses.sigmoidCrossEntropy(z, a, undefined, 0, tf.Reduction.NONE);
          const pt = tf.add(tf.mul(p, z), tf.mul(tf.sub(1, p), tf.sub(1, z)));
          const mod = tf.square(tf.sub(1, pt));
          const alpha = tf.add(tf.mul(0.25, z), tf.mul(0.75, tf.sub(1, z)));
          return tf.mean(tf.mul(tf.mul(ce, mod), alpha));
        },
      };
    case 'W5': {
      const labels = Int32Array.from({ length: s.rows }, () => Math.floor(r() * s.classes));
      return {
        id: 'crossEntropy',
        title: `crossEntropy, class indices, ${s.rows.toLocaleString('en')} × ${s.classes}`,
        inputs: {
          input: [fill(s.rows * s.classes, normal), [s.rows, s.classes]],
          target: [labels, [s.rows]],
        },
        // tf.losses.softmaxCrossEntropy takes one-hot labels: built once, outside the timing.
        tfExtra: () => ({ oneHot: tf.oneHot(tf.tensor1d(labels, 'int32'), s.classes).toFloat() }),
        tf: (t) => (a) => tf.losses.softmaxCrossEntropy(t.oneHot, a),
      };
    }
    case 'W6': {
      const shape = [s.batch, 1, s.hw, s.hw];
      const n = s.batch * s.hw * s.hw;
      return {
        id: 'dice',
        title: `dice, binary, from logits, ${shape.join('×')}`,
        options: { mode: 'binary' },
        inputs: { input: [fill(n, normal), shape], target: [fill(n, bit), shape] },
        tf: (t) => tfDice(tf, t.target),
      };
    }
    case 'W7': {
      const target = boxes(r, s.pairs);
      return {
        id: 'ciou',
        title: `ciou, ${s.pairs.toLocaleString('en')} xyxy box pairs`,
        inputs: {
          input: [boxes(r, s.pairs, target), [s.pairs, 4]],
          target: [target, [s.pairs, 4]],
        },
        tf: (t) => {
          const f = tfCiou(tf, t.target);
          return { valueAndGrad: f };
        },
      };
    }
    case 'W8':
      return {
        id: 'boxIou',
        title: `boxIou, ${s.m} × ${s.m} xyxy boxes (forward)`,
        forward: true,
        inputs: { input: [boxes(r, s.m), [s.m, 4]], target: [boxes(r, s.m), [s.m, 4]] },
        tf: (t) => () => tfBoxIou(tf, t.input, t.target),
      };
    default:
      throw new Error(w);
  }
}

// ---------------------------------------------------------------------------------------- memory
const gc = globalThis.gc ?? (() => {});
function procStatus() {
  try {
    const s = readFileSync('/proc/self/status', 'utf8');
    return {
      rss: Number(/VmRSS:\s+(\d+)/.exec(s)[1]) * 1024,
      hwm: Number(/VmHWM:\s+(\d+)/.exec(s)[1]) * 1024,
    };
  } catch {
    return null;
  }
}
/** Peak RSS above the RSS before fn, minus the bytes of the arrays fn returns fresh. */
function peakExtra(fn) {
  gc();
  gc();
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    fn();
    return null;
  }
  const before = procStatus();
  const fresh = fn();
  const after = procStatus();
  return before === null ? null : after.hwm - before.rss - fresh;
}

// ----------------------------------------------------------------------------------------- torch
class Torch {
  static async start() {
    const py = '/usr/bin/python3';
    if (!existsSync(py)) return null;
    const child = spawn(py, [new URL('./torch_fast.py', import.meta.url).pathname], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const t = new Torch(child);
    try {
      const hello = await t.next();
      t.version = hello.torch;
      return t;
    } catch {
      child.kill();
      return null;
    }
  }
  constructor(child) {
    this.child = child;
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }
  async next() {
    const { value, done } = await this.lines.next();
    if (done) throw new Error('torch server ended');
    return JSON.parse(value);
  }
  async ask(req) {
    this.child.stdin.write(`${JSON.stringify(req)}\n`);
    const ans = await this.next();
    if (ans.error) throw new Error(`torch: ${ans.error}`);
    return ans;
  }
  stop() {
    this.child.stdin.end();
  }
}

// ------------------------------------------------------------------------------------ contenders
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const bytesOf = (a) => (a === null || a === undefined ? 0 : a.byteLength);

/** losskit contenders for one workload: {name, prepare(), run() → fresh output bytes, value()}. */
function losskitContenders(W) {
  const names = Object.keys(W.inputs);
  const diff = new Set(
    lk
      .getEntry(W.id)
      .meta.inputs.filter((s) => s.differentiable)
      .map((s) => s.name),
  );
  const plain = Object.fromEntries(
    names.map((k) => [k, { data: W.inputs[k][0], shape: W.inputs[k][1] }]),
  );
  const extras = (into) => (W.forward ? {} : { grad: true, into });
  const freshBytes = (res, into) => {
    let b = 0;
    if (typeof res.value !== 'number') b += bytesOf(res.value.data);
    if (into === undefined && res.grads)
      for (const g of Object.values(res.grads)) b += bytesOf(g.data);
    return b;
  };
  const list = [];
  // JavaScript kernels and the staged WebAssembly path: plain Float32Arrays, caller-owned grads.
  const plainInto = W.forward
    ? undefined
    : Object.fromEntries([...diff].map((k) => [k, new Float32Array(W.inputs[k][0].length)]));
  for (const [name, wasm] of [
    ['losskit js', false],
    ['losskit wasm, staged', true],
  ]) {
    list.push({
      name,
      kind: 'losskit',
      before: () => lk.setWasm(wasm),
      run: () =>
        freshBytes(lk.evaluate(W.id, plain, W.options ?? {}, extras(plainInto)), plainInto),
      value: () => lk.evaluate(W.id, plain, W.options ?? {}).value,
    });
  }
  // Zero-copy: inputs and gradient buffers allocated in losskit's memory (wasmTensor).
  const tensors = [];
  let zc = null;
  let zcInto = undefined;
  const zcSetup = () => {
    if (zc !== null) return;
    zc = {};
    for (const k of names) {
      const [data, shape] = W.inputs[k];
      if (data instanceof Float32Array) {
        const t = lk.wasmTensor(data.length);
        t.array.set(data);
        tensors.push(t);
        zc[k] = { t, shape };
      } else zc[k] = { data, shape };
    }
    if (!W.forward) {
      zcInto = {};
      for (const k of diff) {
        const t = lk.wasmTensor(W.inputs[k][0].length);
        tensors.push(t);
        zcInto[k] = t;
      }
    }
  };
  const zcInputs = () =>
    Object.fromEntries(
      Object.entries(zc).map(([k, v]) => [k, v.t ? { data: v.t.array, shape: v.shape } : v]),
    );
  const zcIntoArrays = () =>
    zcInto === undefined
      ? undefined
      : Object.fromEntries(Object.entries(zcInto).map(([k, t]) => [k, t.array]));
  for (const threads of [1, 2]) {
    list.push({
      name: `losskit wasm, zero-copy, ${threads} thread${threads > 1 ? 's' : ''}`,
      kind: 'losskit',
      threads,
      before: async () => {
        lk.setWasm(true);
        zcSetup();
        await lk.setWasmThreads(threads);
      },
      run: () => {
        const into = zcIntoArrays();
        return freshBytes(lk.evaluate(W.id, zcInputs(), W.options ?? {}, extras(into)), into);
      },
    });
  }
  const cleanup = async () => {
    await lk.setWasmThreads(1);
    lk.setWasm(true);
    for (const t of tensors) t.free();
  };
  return { list, cleanup };
}

function tfContenders(W) {
  const list = [];
  const made = {};
  for (const backend of ['cpu', 'wasm']) {
    const make = async () => {
      await tf.setBackend(backend);
      await tf.ready();
      if (made[backend]) return made[backend];
      const t = {};
      for (const [k, [data, shape]] of Object.entries(W.inputs)) {
        t[k] =
          data instanceof Int32Array ? tf.tensor(data, shape, 'int32') : tf.tensor(data, shape);
      }
      if (W.tfExtra) Object.assign(t, W.tfExtra());
      const loss = W.tf(t);
      const first = Object.keys(W.inputs)[0];
      let run;
      if (W.forward) {
        run = () =>
          tf.tidy(() => {
            const m = loss();
            return bytesOf(m.dataSync());
          });
      } else {
        const vg = loss.valueAndGrad ?? tf.valueAndGrad(loss);
        run = () => {
          const { value, grad } = vg(t[first]);
          const v = value.dataSync();
          const g = grad.dataSync();
          value.dispose();
          grad.dispose();
          return bytesOf(g) + bytesOf(v);
        };
      }
      const valueOf = () => {
        if (W.forward) return null;
        const vg = loss.valueAndGrad ?? tf.valueAndGrad(loss);
        const { value, grad } = vg(t[first]);
        const v = value.dataSync()[0];
        value.dispose();
        grad.dispose();
        return v;
      };
      made[backend] = { t, run, valueOf };
      return made[backend];
    };
    let state = null;
    list.push({
      name: `tfjs ${backend}`,
      kind: 'tfjs',
      before: async () => {
        state = await make();
      },
      run: () => state.run(),
      value: () => state.valueOf(),
    });
  }
  const cleanup = () => {
    for (const m of Object.values(made)) for (const t of Object.values(m.t)) t.dispose();
  };
  return { list, cleanup };
}

function torchContenders(torch, w) {
  if (torch === null) return [];
  return [1, 2].map((threads) => ({
    name: `torch ${threads} thread${threads > 1 ? 's' : ''}`,
    kind: 'torch',
    threads,
    before: async () => {},
    runAsync: async () => (await torch.ask({ op: 'run', w, threads })).ms,
    mem: async () => (await torch.ask({ op: 'mem', w, threads })).peakKiB,
    value: async () => (await torch.ask({ op: 'run', w, threads })).value,
  }));
}

/** Writes the workload's arrays for the torch server (raw little-endian float32 / int32). */
function writeForTorch(w, W) {
  mkdirSync(DATA_DIR, { recursive: true });
  const files = {};
  for (const [k, [data, shape]] of Object.entries(W.inputs)) {
    const f = join(DATA_DIR, `${w}-${k}.bin`);
    writeFileSync(f, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    files[k] = { path: f, shape, dtype: data instanceof Int32Array ? 'int32' : 'float32' };
  }
  return files;
}

/** Triad reference over the workload's elementwise bytes: read 2n, write n float32 (zero-copy). */
async function triad(n) {
  const a = lk.wasmTensor(n);
  const b = lk.wasmTensor(n);
  const c = lk.wasmTensor(n);
  const res = {};
  for (const threads of [1, 2]) {
    await lk.setWasmThreads(threads);
    const ts = [];
    for (let k = 0; k < 7; k++) {
      const t0 = performance.now();
      pairFast('triad', a.array, b.array, null, c.array, null, 0.5);
      ts.push(performance.now() - t0);
    }
    res[threads] = median(ts.slice(2));
  }
  await lk.setWasmThreads(1);
  for (const t of [a, b, c]) t.free();
  return res;
}

// ----------------------------------------------------------------------------------------- main
export async function fastSection() {
  setWasmPaths(
    new URL('../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname,
  );
  const load0 = loadavg();
  const torch = await Torch.start();
  log(
    `fast paths: ${ONLY.join(', ')}; ${ROUNDS} rounds; torch ${torch ? torch.version : 'absent'}; wasm ${JSON.stringify(lk.wasmStatus())}`,
  );
  const results = [];
  for (const w of ONLY) {
    const W = workload(w);
    log(`\n${w}: ${W.title}`);
    const lkc = losskitContenders(W);
    const tfc = tfContenders(W);
    const contenders = [...lkc.list, ...tfc.list, ...torchContenders(torch, w)];
    if (torch) await torch.ask({ op: 'setup', w, files: writeForTorch(w, W) });
    const rows = new Map(contenders.map((c) => [c.name, { name: c.name, ms: [], peak: null }]));
    // Peak memory (first call) and warm-up, one contender at a time.
    for (const c of contenders) {
      const row = rows.get(c.name);
      try {
        await c.before();
        // The first call is the warm-up and the memory measurement (and decides the round count).
        const t0 = performance.now();
        if (c.kind === 'torch') row.peak = (await c.mem()) * 1024;
        else row.peak = peakExtra(() => c.run());
        row.first = performance.now() - t0;
      } catch (e) {
        // A contender that fails at this size (e.g. out of memory) is reported, not fatal.
        row.error = String(e?.message ?? e).split('\n')[0];
        log(`  ${c.name} failed: ${row.error}`);
        continue;
      }
      log(
        `  warm-up ${c.name}: ${row.first.toFixed(1)} ms, peak extra ${(row.peak / 2 ** 20).toFixed(1)} MiB`,
      );
    }
    for (let round = 0; round < ROUNDS; round++) {
      const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]);
      for (const c of order) {
        const row = rows.get(c.name);
        if (row.error !== undefined) continue;
        if (round >= SLOW_ROUNDS && row.first > SLOW_MS) continue;
        if (round >= 2 && row.first > 10 * SLOW_MS) continue;
        let ms;
        try {
          await c.before();
          if (c.runAsync) ms = await c.runAsync();
          else {
            const t0 = performance.now();
            c.run();
            ms = performance.now() - t0;
          }
        } catch (e) {
          row.error = String(e?.message ?? e).split('\n')[0];
          log(`  ${c.name} failed: ${row.error}`);
          continue;
        }
        row.ms.push(ms);
      }
      log(
        `  round ${round + 1}/${ROUNDS}: ${[...rows.values()].map((r) => `${r.name} ${r.ms.at(-1)?.toFixed(0) ?? '-'}`).join(' · ')}`,
      );
    }
    // Values: every contender's loss beside losskit's JavaScript kernel (float64 arithmetic).
    const values = {};
    for (const c of contenders) {
      const vr = rows.get(c.name);
      // The value is read once more, except for contenders slower than 10·BENCH_SLOW_MS per call.
      if (W.forward || !c.value || vr.error !== undefined || vr.first > 10 * SLOW_MS) continue;
      try {
        await c.before();
        values[c.name] = await c.value();
      } catch (e) {
        rows.get(c.name).error ??= String(e?.message ?? e).split('\n')[0];
      }
    }
    await lkc.cleanup();
    tfc.cleanup();
    if (torch) await torch.ask({ op: 'free', w });
    const elems = Object.values(W.inputs)[0][0].length;
    const inputBytes = Object.values(W.inputs).reduce((s, [d]) => s + d.byteLength, 0);
    const outBytes = W.forward ? SIZES.m * SIZES.m * 4 : elems * 4;
    results.push({
      w,
      W,
      rows: [...rows.values()],
      values,
      inputBytes,
      outBytes,
      largestInput: Math.max(...Object.values(W.inputs).map(([d]) => d.byteLength)),
      triad: ['W1', 'W2', 'W3', 'W4'].includes(w) ? await triad(elems) : null,
    });
  }
  if (torch) torch.stop();
  rmSync(DATA_DIR, { recursive: true, force: true });
  log('\naccuracy of the float32 fast paths against the JavaScript kernels...');
  const accuracy = accuracyReport(lk);
  const md = render(results, accuracy, torch, load0, loadavg());
  return md;
}

function render(results, accuracy, torch, load0, load1) {
  const fmt = (v) =>
    v === undefined || v === null
      ? '–'
      : v < 10
        ? v.toFixed(2)
        : v < 100
          ? v.toFixed(1)
          : v.toFixed(0);
  const mib = (b) => (b === null || b === undefined ? '–' : (Math.max(0, b) / 2 ** 20).toFixed(1));
  let md = '# Benchmarks: the fast paths (W1–W8)\n\n';
  md += `Generated by \`npm run bench\` (bench/fast.mjs) on ${new Date().toISOString().slice(0, 10)}. `;
  md += `Machine: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; `;
  md += `Node ${process.version}, TF.js ${tf.version.tfjs}, PyTorch ${torch ? torch.version : 'not installed'}; `;
  md += `load average ${load0.map((v) => v.toFixed(2)).join(' ')} at the start, ${load1.map((v) => v.toFixed(2)).join(' ')} at the end.\n\n`;
  md +=
    'Float32 data; each call is the mean loss and its gradient (W8: the forward matrix), read back into JavaScript memory. ' +
    'Times are medians over interleaved rounds (every contender once per round, order rotated), with the min–max spread. ' +
    '"Peak extra" is the peak RSS above the RSS before the first call, minus the outputs the call returns fresh ' +
    '(inputs, caller-owned gradient buffers and outputs excluded); for WebAssembly heaps it includes their growth. ' +
    'PyTorch runs in a child process on the same bytes, with `torch.set_num_threads`. ' +
    'losskit wasm runs compute in float64 lanes and round once into float32 outputs; ' +
    '"zero-copy" means inputs and gradient buffers allocated with `wasmTensor`.\n\n';
  const checks = [];
  for (const res of results) {
    const { w, W, rows } = res;
    md += `## ${w}: ${W.title}\n\n| contender | median ms | min–max ms | runs | ×torch 2 threads | peak extra MiB | loss value |\n|---|---:|---:|---:|---:|---:|---:|\n`;
    const med = Object.fromEntries(rows.map((r) => [r.name, r.ms.length ? median(r.ms) : null]));
    const t2 = med['torch 2 threads'];
    for (const r of rows) {
      if (r.error !== undefined && r.ms.length === 0) {
        md += `| ${r.name} | failed: ${r.error.replace(/\|/g, '/')} | – | 0 | – | – | – |\n`;
        continue;
      }
      const m = med[r.name];
      const spread = r.ms.length ? `${fmt(Math.min(...r.ms))}–${fmt(Math.max(...r.ms))}` : '–';
      const v = res.values[r.name];
      md += `| ${r.name} | ${fmt(m)} | ${spread} | ${r.ms.length} | ${t2 && m ? (t2 / m).toFixed(2) : '–'} | ${mib(r.peak)} | ${v === undefined || v === null ? '–' : Number(v).toPrecision(10)} |\n`;
    }
    const ref = res.values['losskit js'];
    if (ref !== undefined) {
      const off = Object.entries(res.values)
        .filter(([k]) => k !== 'losskit js')
        .map(([k, v]) => `${k} ${(Math.abs(v - ref) / Math.abs(ref)).toExponential(1)}`)
        .join(', ');
      md += `\nRelative difference of each value from losskit's JavaScript kernel (float64 arithmetic): ${off}.\n`;
    }
    if (res.triad) {
      const floor = Math.min(res.triad[1], res.triad[2]);
      md += `\nBandwidth reference: a triad (read 2n, write n float32, the bytes of an elementwise loss with its gradient) takes ${fmt(res.triad[1])} ms on 1 thread, ${fmt(res.triad[2])} ms on 2 (${((3 * Object.values(W.inputs)[0][0].length * 4) / floor / 1e6).toFixed(1)} GB/s).\n`;
      res.floor = floor;
    }
    md += '\n';
    const lkBest = Math.min(
      ...rows
        .filter((r) => r.name.startsWith('losskit wasm') && r.ms.length)
        .map((r) => median(r.ms)),
    );
    const zc = Math.min(
      ...rows.filter((r) => r.name.includes('zero-copy') && r.ms.length).map((r) => median(r.ms)),
    );
    const lkPeak = Math.max(
      ...rows.filter((r) => r.name.startsWith('losskit wasm')).map((r) => r.peak ?? 0),
    );
    checks.push({
      w,
      lkBest,
      torch2: t2,
      tfCpu: med['tfjs cpu'],
      tfWasm: med['tfjs wasm'],
      floorRatio: res.floor ? zc / res.floor : null,
      peak: lkPeak,
      largest: res.largestInput,
    });
  }
  md +=
    "## Against the issue's targets\n\n| workload | losskit best ms | torch 2 threads ÷ losskit (≥ 1) | tfjs cpu ÷ losskit (≥ 5) | tfjs wasm ÷ losskit (≥ 2) | zero-copy ÷ triad (≤ 3, W1–W2) | peak extra ÷ largest input (≤ 1) |\n|---|---:|---:|---:|---:|---:|---:|\n";
  for (const c of checks) {
    const q = (a) => (a ? (a / c.lkBest).toFixed(2) : '–');
    md += `| ${c.w} | ${fmt(c.lkBest)} | ${q(c.torch2)} | ${q(c.tfCpu)} | ${q(c.tfWasm)} | ${c.floorRatio ? c.floorRatio.toFixed(2) : '–'} | ${(Math.max(0, c.peak) / c.largest).toFixed(3)} |\n`;
  }
  md += '\n## Accuracy of the float32 fast paths\n\n';
  md += accuracy;
  return md;
}
