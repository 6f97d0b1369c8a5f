#!/usr/bin/env node
/**
 * Large-input stress walk: every registry entry on float32 inputs of about 50,000,000 elements
 * (`npm run stress`), each in its own child process so that its peak memory is its own.
 *
 *   node tools/stress.mjs [--elements N] [--only id,id] [--timeout SECONDS] [--markdown]
 *   node tools/stress.mjs --child CASE [--elements N]     one case, one JSON line on stdout
 *
 * A case is a registry id (its first example scaled up: every input whose first axis, or for ctc's
 * logProbs the batch axis, has the example's batch length is tiled along it until the main input
 * holds N elements; float inputs become Float32Array, integer-valued ones Int32Array) or one of
 * the named cases in CUSTOM (e.g. crossEntropy:NC, a (500000, 100) logit matrix).
 *
 * What a child reports: the elements of its main input, the input and output bytes, the time of one
 * evaluate (with gradients for losses), and peakGrowth: the rise of the process's peak resident
 * memory (getrusage maxrss) during that call over its level after the inputs were built. The
 * memory bound checked by test/large.test.ts is peakGrowth ≤ outputs + 8 bytes × the main input's
 * elements (one float64 buffer of the input's size) + 96 MiB of slack for the heap and code.
 *
 * LOSSKIT_ENTRY names the module to load (default dist/index.js, built by `npm run build`);
 * test/large.test.ts runs the children with `node --import tsx` on src/index.ts instead.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

export const DEFAULT_ELEMENTS = 50_000_000;
export const SLACK_BYTES = 96 * 2 ** 20;

/**
 * Entries whose cost is quadratic in the batch (every row against every row): they are not
 * elementwise or reduction entries and are walked at a batch whose N² is about 4·10^8 instead.
 */
const PAIRWISE_ROWS = new Map([
  ['infoNce', 20_000],
  ['ntXent', 10_000],
  ['graphContrastive', 10_000],
  // The RepBox term couples every pair of predictions of an image.
  ['repulsion', 20_000],
]);

/** The axis each input of an entry is tiled along when it is not the first. */
const BATCH_AXIS = new Map([['ctc', new Map([['logProbs', 1]])]]);

/** Entries whose 1-D example is one distribution / one query: a batch axis is put in front. */
const PREPEND_BATCH = new Set(['entropy', 'distributionCrossEntropy', 'klDivergence', 'ndcg']);

/** A deterministic generator of uniform numbers in [0, 1) (a 32-bit LCG: fast, good enough). */
function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Named cases with shapes of their own; REPLACES maps an id to the case walked instead. */
const REPLACES = new Map([['gaeDense', 'gaeDense:NN']]);
const CUSTOM = new Map([
  [
    'gaeDense:NN',
    (elements) => {
      // The adjacency is the (N, N) input: N = √elements nodes with 16-dimensional embeddings.
      const N = Math.round(Math.sqrt(elements));
      const D = 16;
      const rnd = lcg(2);
      const embeddings = new Float32Array(N * D);
      for (let i = 0; i < embeddings.length; i++) embeddings[i] = 0.5 * rnd() - 0.25;
      const adjacency = new Float32Array(N * N);
      // A symmetric 0/1 matrix (an undirected graph) with about 1% of the pairs linked.
      for (let i = 0; i < N; i++) {
        for (let j = i + 1; j < N; j++) {
          const v = rnd() < 0.01 ? 1 : 0;
          adjacency[i * N + j] = v;
          adjacency[j * N + i] = v;
        }
      }
      return {
        id: 'gaeDense',
        main: 'adjacency',
        inputs: {
          embeddings: { data: embeddings, shape: [N, D] },
          adjacency: { data: adjacency, shape: [N, N] },
        },
        options: {},
      };
    },
  ],
  [
    'crossEntropy:NC',
    (elements) => {
      const C = 100;
      const N = Math.round(elements / C);
      const input = new Float32Array(N * C);
      const rnd = lcg(1);
      for (let i = 0; i < input.length; i++) input[i] = 6 * rnd() - 3;
      const target = new Int32Array(N);
      for (let n = 0; n < N; n++) target[n] = n % C;
      return {
        id: 'crossEntropy',
        main: 'input',
        inputs: { input: { data: input, shape: [N, C] }, target: { data: target, shape: [N] } },
        options: {},
      };
    },
  ],
]);

function tensorOf(lib, value, id, name) {
  if (value !== null && typeof value === 'object' && ArrayBuffer.isView(value.data)) {
    return { data: value.data, shape: value.shape.slice() };
  }
  return lib.toTensor(value, id, name);
}

function allIntegers(data) {
  for (let i = 0; i < data.length; i++) if (!Number.isInteger(Number(data[i]))) return false;
  return true;
}

/** data tiled k times along `axis` of `shape`, written straight into `out` (no temporaries). */
function tile(data, shape, axis, k, out) {
  let outer = 1;
  for (let a = 0; a < axis; a++) outer *= shape[a];
  let inner = 1;
  for (let a = axis; a < shape.length; a++) inner *= shape[a];
  let o = 0;
  for (let b = 0; b < outer; b++) {
    const start = b * inner;
    for (let i = 0; i < inner; i++) out[o + i] = Number(data[start + i]);
    // Double the filled block with copyWithin until k copies are there.
    let have = 1;
    while (have < k) {
      const n = Math.min(have, k - have);
      out.copyWithin(o + have * inner, o, o + n * inner);
      have += n;
    }
    o += k * inner;
  }
}

/** The example of entry `id` scaled so that its main input holds about `elements` elements. */
export function scaledExample(lib, id, elements) {
  const meta = lib.getEntry(id).meta;
  const ex = meta.examples[0];
  if (ex === undefined) return { skip: 'no example' };
  const names = meta.inputs.map((s) => s.name).filter((n) => Object.hasOwn(ex.inputs, n));
  const tensors = new Map();
  for (const n of names) {
    const t = tensorOf(lib, ex.inputs[n], id, n);
    if (PREPEND_BATCH.has(id) && t.shape.length === 1) t.shape = [1, ...t.shape];
    tensors.set(n, t);
  }
  const mainSpec = meta.inputs.find((s) => s.kind === 'float' && tensors.has(s.name));
  const main = mainSpec?.name ?? names[0];
  const axisOf = (n) => BATCH_AXIS.get(id)?.get(n) ?? 0;
  const mainT = tensors.get(main);
  if (mainT.shape.length === 0) return { skip: 'the main input is a scalar' };
  const batch = mainT.shape[axisOf(main)];
  const mainSize = mainT.data.length;
  const pairwise = PAIRWISE_ROWS.get(id);
  const k =
    pairwise !== undefined
      ? Math.max(1, Math.round(pairwise / batch))
      : Math.max(1, Math.round(elements / mainSize));
  const inputs = {};
  for (const [n, t] of tensors) {
    const spec = meta.inputs.find((s) => s.name === n);
    const axis = axisOf(n);
    const scaled = t.shape.length > axis && t.shape[axis] === batch;
    const shape = t.shape.slice();
    if (scaled) shape[axis] *= k;
    const size = shape.reduce((a, b) => a * b, 1);
    const integer = spec.kind === 'index' || (spec.kind !== 'float' && allIntegers(t.data));
    const data = integer ? new Int32Array(size) : new Float32Array(size);
    if (scaled) tile(t.data, t.shape, axis, k, data);
    else for (let i = 0; i < size; i++) data[i] = Number(t.data[i]);
    inputs[n] = { data, shape };
  }
  return { id, main, inputs, options: ex.options ?? {}, pairwise: pairwise !== undefined };
}

function bytesOf(v) {
  if (v === null || v === undefined || typeof v === 'number') return 0;
  if (ArrayBuffer.isView(v.data)) return v.data.byteLength;
  return 0;
}

/** Runs one case in this process and returns its report. */
export async function runCase(name, elements) {
  const entry = process.env.LOSSKIT_ENTRY ?? resolve(root, 'dist/index.js');
  const lib = await import(pathToFileURL(entry).href);
  const custom = CUSTOM.get(name);
  const c = custom !== undefined ? custom(elements) : scaledExample(lib, name, elements);
  if (c.skip !== undefined) return { case: name, skipped: c.skip };
  const meta = lib.getEntry(c.id).meta;
  let inputBytes = 0;
  for (const t of Object.values(c.inputs)) inputBytes += t.data.byteLength;
  const mainElements = c.inputs[c.main].data.length;
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const t0 = performance.now();
  let res;
  try {
    res = lib.evaluate(c.id, c.inputs, c.options, { grad: meta.kind === 'loss' });
  } catch (e) {
    if (e instanceof lib.LossError) {
      return {
        case: name,
        id: c.id,
        mainElements,
        refused: `${e.code}: ${e.message.slice(0, 160)}`,
      };
    }
    throw e;
  }
  const seconds = (performance.now() - t0) / 1000;
  const peakAfter = process.resourceUsage().maxRSS * 1024;
  let outputBytes = bytesOf(res.value);
  for (const g of Object.values(res.grads ?? {})) outputBytes += bytesOf(g);
  const value = typeof res.value === 'number' ? res.value : null;
  return {
    case: name,
    id: c.id,
    pairwise: c.pairwise === true,
    shapes: Object.fromEntries(Object.entries(c.inputs).map(([k, t]) => [k, t.shape])),
    mainElements,
    inputBytes,
    outputBytes,
    seconds,
    peakGrowth: Math.max(0, peakAfter - Math.max(peakBefore, rssBefore)),
    bound: outputBytes + 8 * mainElements + SLACK_BYTES,
    finite: value === null ? null : Number.isFinite(value),
  };
}

function arg(argv, flag) {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

const MiB = 2 ** 20;
const mb = (b) => (b / MiB).toFixed(0);

async function main() {
  const argv = process.argv.slice(2);
  const elements = Number(arg(argv, '--elements') ?? DEFAULT_ELEMENTS);
  const child = arg(argv, '--child');
  if (child !== undefined) {
    process.stdout.write(`${JSON.stringify(await runCase(child, elements))}\n`);
    return;
  }
  const entry = process.env.LOSSKIT_ENTRY ?? resolve(root, 'dist/index.js');
  const lib = await import(pathToFileURL(entry).href);
  const only = arg(argv, '--only');
  const timeout = Number(arg(argv, '--timeout') ?? 600) * 1000;
  const cases =
    only !== undefined
      ? only.split(',')
      : [
          ...lib.list().map((m) => REPLACES.get(m.id) ?? m.id),
          ...[...CUSTOM.keys()].filter((k) => ![...REPLACES.values()].includes(k)),
        ];
  const rows = [];
  for (const name of cases) {
    const r = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        '--max-old-space-size=8192',
        fileURLToPath(import.meta.url),
        '--child',
        name,
        '--elements',
        String(elements),
      ],
      { encoding: 'utf8', timeout, env: process.env, maxBuffer: 1 << 20 },
    );
    let row;
    if (r.status === 0) row = JSON.parse(r.stdout.trim().split('\n').pop());
    else if (r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGTERM')
      row = { case: name, failed: `timed out after ${timeout / 1000} s` };
    else
      row = {
        case: name,
        failed: `exit ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').slice(-1)[0]?.slice(0, 160)}`,
      };
    rows.push(row);
    process.stderr.write(`${line(row)}\n`);
  }
  if (argv.includes('--markdown')) {
    process.stdout.write(
      [
        '| case | shapes | elements | time (s) | peak growth (MiB) | outputs (MiB) | bound (MiB) | within |',
        '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
        ...rows.map((r) =>
          r.seconds === undefined
            ? `| ${r.case} | ${r.shapes ? JSON.stringify(r.shapes) : ''} | ${r.mainElements ?? ''} | | | | | ${r.skipped ?? r.refused ?? r.failed} |`
            : `| ${r.case}${r.pairwise ? ' (pairwise)' : ''} | ${Object.entries(r.shapes)
                .map(([k, s]) => `${k} (${s.join(', ')})`)
                .join(
                  ', ',
                )} | ${r.mainElements} | ${r.seconds.toFixed(2)} | ${mb(r.peakGrowth)} | ${mb(r.outputBytes)} | ${mb(r.bound)} | ${r.peakGrowth <= r.bound ? 'yes' : '**no**'} |`,
        ),
      ].join('\n') + '\n',
    );
  }
  const over = rows.filter((r) => r.seconds !== undefined && r.peakGrowth > r.bound);
  const failed = rows.filter((r) => r.failed !== undefined);
  process.stderr.write(
    `${rows.length} cases: ${rows.filter((r) => r.seconds !== undefined).length} ran, ${over.length} over the memory bound, ${failed.length} failed\n`,
  );
  process.exitCode = over.length + failed.length > 0 ? 1 : 0;
}

function line(r) {
  if (r.seconds === undefined) return `${r.case.padEnd(28)} ${r.skipped ?? r.refused ?? r.failed}`;
  return `${r.case.padEnd(28)} ${String(r.mainElements).padStart(10)} el  ${r.seconds.toFixed(2).padStart(7)} s  peak +${mb(r.peakGrowth).padStart(5)} MiB  (outputs ${mb(r.outputBytes)}, bound ${mb(r.bound)})${r.peakGrowth > r.bound ? '  OVER' : ''}`;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
