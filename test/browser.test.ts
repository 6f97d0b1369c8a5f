/**
 * losskit in a real browser: the package entry, compiled as it ships, is served on localhost and
 * imported by headless Chromium (Debian's `chromium`, driven by playwright-core). Values, gradients,
 * errors and metadata must equal what Node computes.
 *
 * Skipped with a notice when /usr/bin/chromium is absent (a fresh machine after `npm install`);
 * CI installs chromium and sets LOSSKIT_REQUIRE_BROWSER=1, which turns a missing browser into a failure.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, list } from '../src/index.js';

const CHROMIUM = process.env.LOSSKIT_CHROMIUM ?? '/usr/bin/chromium';
const required = process.env.LOSSKIT_REQUIRE_BROWSER === '1';
const available = existsSync(CHROMIUM);
const root = resolve(dirname(new URL(import.meta.url).pathname), '..');

if (!available && !required) {
  console.warn(`browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}

interface WasmResult {
  status: { available: boolean; shared: boolean; calls: number };
  took: boolean;
  value: number;
  grad: number[];
  threads?: number;
  threadsValue?: number;
  threadsGradEqual?: boolean;
}

interface BrowserResult {
  wasm: WasmResult;
  ids: string[];
  ce: { value: number; grad: number[] };
  focalNone: number[];
  f1: number;
  error: { name: string; code: string; message: string };
}

/** Inputs of the WebAssembly probe: 40,001 float32 logits and 0/1 targets (a formula, both sides). */
const WASM_N = 40_001;
const WASM_DATA = `
const N = ${WASM_N};
const x = Float32Array.from({ length: N }, (_, i) => 6 * Math.sin(i * 0.37));
const y = Float32Array.from({ length: N }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0);
`;

/**
 * The WebAssembly fast path in the page: bceWithLogits on float32 data, the status counter showing
 * the call took it; on a cross-origin isolated page also two threads over wasmTensor inputs.
 */
const WASM_PROBE = `
${WASM_DATA}
async function wasmProbe(isolated) {
  const status = await lk.initWasm();
  const before = lk.wasmStatus().calls;
  const r = lk.evaluate('bceWithLogits', { input: x, target: y }, {}, { grad: true });
  const out = {
    status: lk.wasmStatus(),
    took: lk.wasmStatus().calls > before,
    value: r.value,
    grad: Array.from(r.grads.input.data.subarray(0, 64)),
  };
  if (isolated) {
    const M = 300000;
    const tx = lk.wasmTensor(M), ty = lk.wasmTensor(M), g1 = lk.wasmTensor(M), g2 = lk.wasmTensor(M);
    for (let i = 0; i < M; i++) { tx.array[i] = 6 * Math.sin(i * 0.37); ty.array[i] = (i * 7) % 3 === 0 ? 1 : 0; }
    const run = (g) => lk.evaluate('sigmoidFocal', { input: tx.array, target: ty.array }, {}, { grad: true, into: { input: g.array } }).value;
    const one = run(g1);
    out.threads = await lk.setWasmThreads(2);
    out.threadsValue = run(g2);
    out.threadsGradEqual = g1.array.every((v, i) => Object.is(v, g2.array[i])) && out.threadsValue === one;
    await lk.setWasmThreads(1);
  }
  return out;
}
`;

/** The page's module: plain JavaScript run by the browser as served (not transformed by the test runner). */
const PROBE = `
import * as lk from '/index.js';
${WASM_PROBE}
try {
  const wasm = await wasmProbe(false);
  const logits = { data: Float64Array.of(2, 0.5, -1, 0.1, 0.2, 3), shape: [2, 3] };
  const ce = lk.evaluate('crossEntropy', { input: logits, target: [0, 2] }, { labelSmoothing: 0.1 }, { grad: true });
  const focal = lk.sigmoidFocal([-3, 2, 0.5], [0, 1, 1], { reduction: 'none' });
  const f1 = lk.f1Score([0, 2, 1, 1, 0, 2], [0, 1, 1, 2, 0, 2], { task: 'multiclass', numClasses: 3 });
  let error = { name: '', code: '', message: '' };
  try {
    lk.huber([1], [1], { delta: -1 });
  } catch (e) {
    error = { name: e.name, code: e.code, message: e.message };
  }
  window.__losskitResult = {
    wasm,
    ids: lk.list().map((m) => m.id),
    ce: { value: ce.value, grad: Array.from(ce.grads.input.data) },
    focalNone: Array.from(focal.data),
    f1,
    error,
  };
} catch (e) {
  window.__losskitResult = { failure: String(e && e.stack || e) };
}
`;

const ISOLATED_PROBE = `
import * as lk from '/index.js';
${WASM_PROBE}
try {
  window.__losskitResult = { isolated: crossOriginIsolated, wasm: await wasmProbe(true) };
} catch (e) {
  window.__losskitResult = { failure: String(e && e.stack || e) };
}
`;

/** What Node computes for the page's WebAssembly probe (the same inputs and call). */
function nodeWasmProbe(): { value: number; grad: Float32Array } {
  const x = Float32Array.from({ length: WASM_N }, (_, i) => 6 * Math.sin(i * 0.37));
  const y = Float32Array.from({ length: WASM_N }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
  const r = evaluate('bceWithLogits', { input: x, target: y }, {}, { grad: true });
  return { value: r.value as number, grad: r.grads!.input.data as Float32Array };
}

describe.skipIf(!available && !required)('losskit in headless Chromium', () => {
  let out: string;
  let server: Server;
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `Chromium at ${CHROMIUM}`).toBe(true);
    out = mkdtempSync(join(tmpdir(), 'losskit-browser-'));
    execFileSync(
      process.execPath,
      [
        resolve(root, 'node_modules/typescript/bin/tsc'),
        '-p',
        resolve(root, 'tsconfig.build.json'),
        '--outDir',
        out,
      ],
      { stdio: 'inherit' },
    );
    server = createServer((req, res) => {
      const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]));
      if (path === '/' || path === '/index.html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(
          '<!doctype html><title>losskit</title><script type="module" src="/probe.js"></script>',
        );
        return;
      }
      if (path === '/probe.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(PROBE);
        return;
      }
      // A cross-origin isolated page (COOP + COEP): SharedArrayBuffer, shared memory, threads.
      const isolation = {
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      };
      if (path === '/isolated.html') {
        res.writeHead(200, { 'content-type': 'text/html', ...isolation });
        res.end(
          '<!doctype html><title>losskit isolated</title><script type="module" src="/isolated-probe.js"></script>',
        );
        return;
      }
      if (path === '/isolated-probe.js') {
        res.writeHead(200, { 'content-type': 'text/javascript', ...isolation });
        res.end(ISOLATED_PROBE);
        return;
      }
      const file = join(out, path);
      if (!file.startsWith(out) || !existsSync(file)) {
        res.writeHead(404);
        res.end();
        return;
      }
      const type = extname(file) === '.js' ? 'text/javascript' : 'application/octet-stream';
      res.writeHead(200, {
        'content-type': type,
        'cross-origin-resource-policy': 'same-origin',
      });
      res.end(readFileSync(file));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
    close = () => new Promise<void>((ok) => server.close(() => ok()));
  }, 120_000);

  afterAll(async () => {
    await close?.();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('imports the package entry and computes what Node computes', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForFunction('window.__losskitResult !== undefined', undefined, {
        timeout: 30_000,
      });
      const got = (await page.evaluate('window.__losskitResult')) as BrowserResult & {
        failure?: string;
      };
      expect(got.failure).toBeUndefined();

      expect(got.ids).toEqual(list().map((m) => m.id));
      // The WebAssembly fast path ran in the page (single thread, memory not shared: the page is
      // not cross-origin isolated) and gave what Node's fast path gives, bit for bit.
      expect(got.wasm.status.available).toBe(true);
      expect(got.wasm.status.shared).toBe(false);
      expect(got.wasm.took).toBe(true);
      const node = nodeWasmProbe();
      expect(got.wasm.value).toBe(node.value);
      expect(got.wasm.grad).toEqual(Array.from(node.grad.subarray(0, 64)));
      const ce = evaluate(
        'crossEntropy',
        {
          input: { data: Float64Array.of(2, 0.5, -1, 0.1, 0.2, 3), shape: [2, 3] },
          target: [0, 2],
        },
        { labelSmoothing: 0.1 },
        { grad: true },
      );
      expect(got.ce.value).toBeCloseTo(ce.value as number, 14);
      got.ce.grad.forEach((g, i) => expect(g).toBeCloseTo(ce.grads!.input.data[i], 14));
      const focal = evaluate(
        'sigmoidFocal',
        { input: [-3, 2, 0.5], target: [0, 1, 1] },
        { reduction: 'none' },
      );
      got.focalNone.forEach((v, i) =>
        expect(v).toBeCloseTo((focal.value as { data: Float64Array }).data[i], 14),
      );
      expect(got.f1).toBe(
        evaluate(
          'f1Score',
          { input: [0, 2, 1, 1, 0, 2], target: [0, 1, 1, 2, 0, 2] },
          { task: 'multiclass', numClasses: 3 },
        ).value,
      );
      expect(got.error).toEqual({
        name: 'LossError',
        code: 'E_OPTION',
        message: "huber: option 'delta' must be a finite number > 0. Received: delta=-1.",
      });
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('runs the fast paths on two threads on a cross-origin isolated page, bit-identical to one', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${url}isolated.html`);
      await page.waitForFunction('window.__losskitResult !== undefined', undefined, {
        timeout: 60_000,
      });
      const got = (await page.evaluate('window.__losskitResult')) as {
        failure?: string;
        isolated: boolean;
        wasm: WasmResult;
      };
      expect(got.failure).toBeUndefined();
      expect(got.isolated).toBe(true);
      expect(got.wasm.status.shared).toBe(true);
      expect(got.wasm.took).toBe(true);
      expect(got.wasm.value).toBe(nodeWasmProbe().value);
      expect(got.wasm.threads).toBe(2);
      expect(got.wasm.threadsGradEqual).toBe(true);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
