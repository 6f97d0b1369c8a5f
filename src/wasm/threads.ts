/**
 * Threads for the fast paths: workers that instantiate the same module on the same shared memory
 * and run a range of a kernel call while the calling thread runs its own range. Calls stay
 * synchronous: the calling thread hands each worker its job through a control block in shared
 * memory (Atomics.notify), runs its part, and waits for the workers (Atomics.wait where the thread
 * may block: Node's main thread and workers; a spin on Atomics.load on a browser's main thread).
 * Only calls whose arrays all live in losskit's memory (wasmTensor) are split: other memory cannot
 * be shared with the workers without a copy.
 */
import { fail } from '../core/errors.js';
import type { Runtime } from './runtime.js';
import { getRuntime } from './runtime.js';

/** Bytes per worker control block: state, argument count, then 16 float64 arguments. */
const CTRL_BYTES = 192;

const WORKER_SOURCE = `
"use strict";
function start(d, post) {
  const inst = new WebAssembly.Instance(d.module, {
    env: { memory: d.memory, abort() { throw new Error('losskit wasm: abort'); } },
  });
  const fns = d.names.map((n) => inst.exports[n]);
  const st = new Int32Array(d.memory.buffer, d.ctrl, 2);
  const args = new Float64Array(d.memory.buffer, d.ctrl + 8, 16);
  post('ready');
  for (;;) {
    Atomics.wait(st, 0, 0);
    const k = Atomics.load(st, 0);
    if (k < 0) return;
    const n = Atomics.load(st, 1);
    try {
      fns[k - 1](...Array.from(args.subarray(0, n)));
      Atomics.store(st, 1, 0);
    } catch (e) {
      Atomics.store(st, 1, -1);
    }
    Atomics.store(st, 0, 0);
    Atomics.notify(st, 0);
  }
}
if (typeof require === 'function') {
  const wt = require('node:worker_threads');
  start(wt.workerData, (m) => wt.parentPort.postMessage(m));
} else {
  self.onmessage = (e) => start(e.data, (m) => self.postMessage(m));
}
`;

interface AnyWorker {
  terminate(): unknown;
}

function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1);
    return true;
  } catch {
    return false;
  }
}

async function spawn(count: number, data: (w: number) => object): Promise<AnyWorker[]> {
  const isNode =
    (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node !==
    undefined;
  const workers: AnyWorker[] = [];
  const ready: Promise<void>[] = [];
  if (isNode) {
    const { Worker } = await import('node:worker_threads');
    for (let w = 0; w < count; w++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: data(w) });
      workers.push(worker);
      // Referenced until it is ready (so the event loop waits for it), then unreferenced: idle
      // workers never keep a process alive.
      ready.push(
        new Promise((resolve, reject) => {
          worker.once('message', () => {
            worker.unref();
            resolve();
          });
          worker.once('error', reject);
        }),
      );
    }
  } else {
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    for (let w = 0; w < count; w++) {
      const worker = new Worker(url);
      workers.push(worker);
      ready.push(
        new Promise((resolve, reject) => {
          worker.onmessage = () => resolve();
          worker.onerror = (e) => reject(new Error(e.message));
        }),
      );
      worker.postMessage(data(w));
    }
  }
  await Promise.all(ready);
  return workers;
}

function installPool(rt: Runtime, workers: AnyWorker[], ctrl: number): void {
  const blocking = canBlock();
  const states = workers.map((_, w) => new Int32Array(rt.memory.buffer, ctrl + w * CTRL_BYTES, 2));
  const argViews = workers.map(
    (_, w) => new Float64Array(rt.memory.buffer, ctrl + w * CTRL_BYTES + 8, 16),
  );
  rt.pool = {
    size: workers.length,
    post(w, job) {
      argViews[w].set(job.args);
      Atomics.store(states[w], 1, job.args.length);
      Atomics.store(states[w], 0, job.fn + 1);
      Atomics.notify(states[w], 0);
    },
    wait(w) {
      const st = states[w];
      for (;;) {
        const v = Atomics.load(st, 0);
        if (v === 0) break;
        if (blocking) Atomics.wait(st, 0, v);
      }
      if (Atomics.load(st, 1) === -1) throw new Error('losskit wasm: a worker kernel failed');
    },
    terminate() {
      for (let w = 0; w < workers.length; w++) {
        Atomics.store(states[w], 0, -1);
        Atomics.notify(states[w], 0);
        void workers[w].terminate();
      }
    },
  };
}

let starting: Promise<number> | null = null;

/**
 * Splits large fast-path calls (at least 131,072 elements, every array a wasmTensor) over `n`
 * threads: the calling thread and n − 1 workers. Results are bit-identical to one thread. Resolves
 * to the number of threads in use: 1 where the memory cannot be shared (a browser page without
 * cross-origin isolation, or WebAssembly unavailable; see wasmStatus()). `setWasmThreads(1)` stops
 * the workers.
 */
export async function setWasmThreads(n: number): Promise<number> {
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    fail('E_RANGE', 'setWasmThreads', "'n'", 'an integer from 1 to 64', String(n));
  }
  if (starting !== null) await starting;
  const rt = getRuntime();
  if (rt === null) return 1;
  if (rt.threads === n) return n;
  if (rt.pool !== null) {
    rt.pool.terminate();
    rt.pool = null;
  }
  if (n === 1 || !rt.shared) return 1;
  starting = (async () => {
    if (rt.ctrl === 0) rt.ctrl = rt.heap.alloc(64 * CTRL_BYTES);
    // Stopped workers left their blocks at −1 (stop): new workers start from 0 (idle).
    new Uint8Array(rt.memory.buffer, rt.ctrl, 64 * CTRL_BYTES).fill(0);
    const workers = await spawn(n - 1, (w) => ({
      module: rt.module,
      memory: rt.memory,
      names: rt.kernelNames,
      ctrl: rt.ctrl + w * CTRL_BYTES,
    }));
    installPool(rt, workers, rt.ctrl);
    return n;
  })();
  try {
    return await starting;
  } finally {
    starting = null;
  }
}
