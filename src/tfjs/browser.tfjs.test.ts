/**
 * losskit/tfjs on the webgl backend in headless Chromium (Debian's `chromium` with SwiftShader's
 * software WebGL, driven by playwright-core). The package is compiled as it ships and imported by
 * the page; tfjs is the published UMD bundle, and an import map points '@tensorflow/tfjs-core' at a
 * module re-exporting that bundle's `tf`. Values and gradients of device (native) and bridged
 * entries on webgl must equal the core's `evaluate` in the same page (float32 tolerance).
 *
 * Skipped with a notice when /usr/bin/chromium is absent; LOSSKIT_REQUIRE_BROWSER=1 (CI) makes a
 * missing browser a failure.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import * as tfCore from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.LOSSKIT_CHROMIUM ?? '/usr/bin/chromium';
const required = process.env.LOSSKIT_REQUIRE_BROWSER === '1';
const available = existsSync(CHROMIUM);
const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');

if (!available && !required) {
  console.warn(`tfjs browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}

/** Every named export of tfjs-core, re-exported from the UMD bundle's global `tf`. */
const SHIM = Object.keys(tfCore)
  .filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default')
  .map((k) => `export const ${k} = window.tf.${k};`)
  .join('\n');

const CASES = [
  { id: 'mse', inputs: { input: [0.5, -1, 2], target: [0, 0, 1] }, options: {} },
  {
    id: 'sigmoidFocal',
    inputs: { input: [[-3, 2, 0.5]], target: [[0, 1, 1]] },
    options: { gamma: 2 },
  },
  {
    id: 'crossEntropy',
    inputs: {
      input: [
        [2, 0.5, -1],
        [0.1, 0.2, 3],
      ],
      target: [0, 2],
    },
    options: { labelSmoothing: 0.1 },
  },
  {
    id: 'multilabelMargin',
    inputs: { input: [[0.1, 0.2, 0.4, 0.8]], target: [[3, 0, -1, 1]] },
    options: {},
  },
  {
    id: 'crossEntropy',
    inputs: {
      input: [
        [2, 0.5, -1],
        [0.1, 0.2, 3],
      ],
      target: [0, 2],
    },
    options: { labelSmoothing: 0.1 },
    path: 'bridge',
  },
];

const PROBE = `
import * as lk from '/index.js';
import { evaluateTf, lastTfPath } from '/tfjs/index.js';
const tf = window.tf;
try {
  const ok = await tf.setBackend('webgl');
  await tf.ready();
  const cases = ${JSON.stringify(CASES)};
  const results = cases.map((c) => {
    const x = tf.tensor(c.inputs.input, undefined, 'float32');
    const others = { ...c.inputs };
    delete others.input;
    const f = (t) => evaluateTf(c.id, { ...others, input: t }, c.options, { path: c.path ?? 'auto' });
    const { value, grad } = tf.valueAndGrad(f)(x);
    const path = lastTfPath();
    const f32 = { ...c.inputs, input: { data: x.dataSync().slice(), shape: x.shape } };
    const want = lk.evaluate(c.id, f32, c.options, { grad: true });
    return {
      id: c.id,
      path,
      value: value.dataSync()[0],
      grad: Array.from(grad.dataSync()),
      wantValue: want.value,
      wantGrad: Array.from(want.grads.input.data),
    };
  });
  window.__result = { ok, backend: tf.getBackend(), results };
} catch (e) {
  window.__result = { failure: String((e && e.stack) || e) };
}
`;

interface CaseResult {
  id: string;
  path: string;
  value: number;
  grad: number[];
  wantValue: number;
  wantGrad: number[];
}

describe.skipIf(!available && !required)('losskit/tfjs on webgl in headless Chromium', () => {
  let out = '';
  let server: Server;
  let url = '';

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'losskit-tfjs-browser-'));
    execFileSync(
      process.execPath,
      [
        resolve(root, 'node_modules/typescript/bin/tsc'),
        '-p',
        resolve(root, 'tsconfig.build.json'),
        '--outDir',
        out,
      ],
      { stdio: 'pipe' },
    );
    const tfBundle = resolve(root, 'node_modules/@tensorflow/tfjs/dist/tf.min.js');
    server = createServer((req, res) => {
      const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]));
      const send = (type: string, body: string | Buffer): void => {
        res.writeHead(200, { 'content-type': type });
        res.end(body);
      };
      if (path === '/' || path === '/index.html') {
        send(
          'text/html',
          '<!doctype html><title>losskit/tfjs</title><script src="/tf.min.js"></script>' +
            '<script type="importmap">{"imports":{"@tensorflow/tfjs-core":"/tfjs-core-shim.js"}}</script>' +
            '<script type="module" src="/probe.js"></script>',
        );
        return;
      }
      if (path === '/probe.js') return send('text/javascript', PROBE);
      if (path === '/tfjs-core-shim.js') return send('text/javascript', SHIM);
      if (path === '/tf.min.js') return send('text/javascript', readFileSync(tfBundle));
      const file = join(out, path);
      if (!file.startsWith(out) || !existsSync(file)) {
        res.writeHead(404);
        res.end();
        return;
      }
      send(
        extname(file) === '.js' ? 'text/javascript' : 'application/octet-stream',
        readFileSync(file),
      );
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
  }, 120_000);

  afterAll(async () => {
    await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('computes values and gradients on webgl that equal the core, on the device and through the bridge', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
        '--ignore-gpu-blocklist',
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
      await page.waitForFunction('window.__result !== undefined', undefined, { timeout: 60_000 });
      const got = (await page.evaluate('window.__result')) as {
        failure?: string;
        ok: boolean;
        backend: string;
        results: CaseResult[];
      };
      expect(got.failure).toBeUndefined();
      expect(got.backend).toBe('webgl');
      expect(got.results.map((r) => `${r.id} ${r.path}`)).toEqual([
        'mse native',
        'sigmoidFocal native',
        'crossEntropy native',
        'multilabelMargin native',
        'crossEntropy bridge',
      ]);
      for (const r of got.results) {
        expect(Math.abs(r.value - r.wantValue), `${r.id} value`).toBeLessThan(
          1e-4 * (1 + Math.abs(r.wantValue)),
        );
        expect(r.grad.length).toBe(r.wantGrad.length);
        r.grad.forEach((g, i) =>
          expect(Math.abs(g - r.wantGrad[i]), `${r.id} grad[${i}]`).toBeLessThan(
            1e-4 * (1 + Math.abs(r.wantGrad[i])),
          ),
        );
      }
    } finally {
      await browser.close();
    }
  }, 120_000);
});
