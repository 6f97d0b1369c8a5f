// Accuracy of the float32 fast paths (bench/fast.mjs, issue "fast paths"): every golden case of
// every registry entry, in float32, through the WebAssembly fast paths (forced for every size) and
// through the JavaScript kernels, and a seeded random sweep with extremes for the elementwise
// entries; the worst relative error of the value and of every gradient element per entry.
// Entries whose fast path none of the cases takes are not listed. Not a test (the tests assert the
// same bound: src/wasm/*.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { setWasmMinSize, wasmCallCount } from '../dist/wasm/runtime.js';

const FIX = new URL('../test/fixtures/golden/', import.meta.url);
const num = (v) =>
  typeof v === 'number' ? v : v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : -Infinity;
const isT = (v) =>
  v !== null && typeof v === 'object' && 'shape' in v && 'data' in v && 'dtype' in v;
const dec = (t, f32) => ({
  data:
    t.dtype === 'int32'
      ? Int32Array.from(t.data.map(num))
      : f32
        ? Float32Array.from(t.data.map(num))
        : Float64Array.from(t.data.map(num)),
  shape: t.shape,
});

function worst(a, b) {
  let w = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (Object.is(x, y) || x === y) continue;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return Infinity;
    w = Math.max(w, Math.abs(x - y) / Math.max(Math.abs(x), 1.2e-38));
  }
  return w;
}

function compare(lk, id, inputs, options, upstream) {
  const extras = upstream === undefined ? { grad: true } : { grad: true, upstream };
  const old = setWasmMinSize(0);
  try {
    lk.setWasm(false);
    const js = lk.evaluate(id, inputs, options, extras);
    lk.setWasm(true);
    const before = wasmCallCount();
    const fast = lk.evaluate(id, inputs, options, extras);
    if (wasmCallCount() === before) return null;
    const flat = (v) => (typeof v === 'number' ? [v] : v.data);
    let e = worst(flat(js.value), flat(fast.value));
    for (const [k, g] of Object.entries(js.grads ?? {}))
      e = Math.max(e, worst(g.data, fast.grads[k].data));
    return e;
  } finally {
    lk.setWasm(true);
    setWasmMinSize(old);
  }
}

function sweeps(n) {
  let s = 12345;
  const r = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const scales = [1e-30, 1e-6, 1e-3, 0.5, 1, 3, 30, 1e3, 1e6, 1e30];
  const mk = (f) => Float32Array.from({ length: n }, f);
  const x = mk(() => (r() - 0.5) * scales[Math.floor(r() * 10)]);
  const y = mk(() => (r() - 0.5) * scales[Math.floor(r() * 10)]);
  const logits = mk(() => (r() - 0.5) * [0.01, 2, 20, 200, 2000][Math.floor(r() * 5)]);
  const probs = mk(() => [0, 1, r(), r() * 1e-7, 1 - r() * 1e-7][Math.floor(r() * 5)]);
  const labels = mk(() => (r() < 0.5 ? 0 : 1));
  const soft = mk(() => r());
  const pm = labels.map((v) => 2 * v - 1);
  const neg = logits.map((v) => -Math.abs(v));
  return {
    mse: [{ input: x, target: y }],
    l1: [{ input: x, target: y }],
    huber: [{ input: x, target: y }],
    smoothL1: [{ input: x, target: y }],
    logCosh: [{ input: x, target: y }],
    mape: [{ input: x, target: y }],
    msle: [{ input: probs, target: soft }],
    poissonNll: [{ input: logits, target: soft }],
    bceWithLogits: [
      { input: logits, target: labels },
      { input: logits, target: soft },
    ],
    bce: [{ input: probs, target: soft }],
    sigmoidFocal: [
      { input: logits, target: labels },
      { input: logits, target: soft },
    ],
    softMargin: [{ input: logits, target: pm }],
    hinge: [{ input: x, target: labels }],
    squaredHinge: [{ input: x, target: soft }],
    klDiv: [{ input: neg, target: probs }],
  };
}

/** Markdown: per entry, the worst relative error over golden cases and the sweep. */
export function accuracyReport(lk) {
  const rows = new Map();
  const note = (id, kind, e) => {
    if (e === null) return;
    const row = rows.get(id) ?? { golden: 0, goldenCases: 0, sweep: null };
    if (kind === 'golden') {
      row.golden = Math.max(row.golden, e);
      row.goldenCases++;
    } else row.sweep = Math.max(row.sweep ?? 0, e);
    rows.set(id, row);
  };
  for (const file of readdirSync(FIX).filter((f) => f.endsWith('.json'))) {
    const g = JSON.parse(readFileSync(new URL(file, FIX), 'utf8'));
    if (!lk.ids().includes(g.id)) continue;
    for (const c of g.cases) {
      if (c.error) continue;
      const inputs = Object.fromEntries(
        Object.entries(c.inputs).map(([k, v]) => [k, dec(v, true)]),
      );
      const options = Object.fromEntries(
        Object.entries(c.options).map(([k, v]) => [k, isT(v) ? dec(v, false) : v]),
      );
      const up =
        c.upstream == null ? undefined : isT(c.upstream) ? dec(c.upstream, true) : num(c.upstream);
      try {
        note(g.id, 'golden', compare(lk, g.id, inputs, options, up));
      } catch {
        // a case the entry rejects in float32 as in float64 (its tests cover it)
      }
    }
  }
  for (const [id, list] of Object.entries(sweeps(100_003))) {
    for (const inputs of list) {
      for (const reduction of ['mean', 'none'])
        note(id, 'sweep', compare(lk, id, inputs, { reduction }));
    }
  }
  let worstAll = 0;
  let md =
    'Worst relative error |fast − js| / |js| over the value and every gradient element (float32 outputs compared as float32; ' +
    'NaN and infinities must coincide, else the error is ∞), the JavaScript kernel being the reference that the golden fixtures check. ' +
    'Golden: every golden case of the entry in float32 that the fast path takes; sweep: 100,003 seeded elements with magnitudes from 1e-30 to 1e30, ' +
    '±2000 logits, exact 0/1 probabilities and targets, reductions mean and none.\n\n' +
    '| entry | golden cases | worst (golden) | worst (sweep) |\n|---|---:|---:|---:|\n';
  for (const [id, r] of [...rows.entries()].sort()) {
    worstAll = Math.max(worstAll, r.golden, r.sweep ?? 0);
    md += `| ${id} | ${r.goldenCases} | ${r.golden.toExponential(2)} | ${r.sweep === null ? '–' : r.sweep.toExponential(2)} |\n`;
  }
  md += `\nWorst over all: ${worstAll.toExponential(2)} (the bound promised: 1e-6).\n`;
  return md;
}
